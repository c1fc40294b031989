-- purpose:   each club's regular-season record: wins, losses, runs for and against
-- grain:     one row per season and team
-- keys:      season, team_id
-- partition: season (recomputed for the seasons a run touched; games held back by a
--            failed error quality check are left out)
-- sources:   staging.mlb_games, staging.mlb_teams, ops.quality_blocked_games,
--            ops.quality_blocked_partitions
{%- from "_macros.sql" import passes_quality_gate, refresh_slice %}
with final_games as (
    select
        season,
        away_team_id,
        home_team_id,
        away_score,
        home_score
    from staging.mlb_games as mlb_games
    where
        season = any(%(seasons)s::integer[])
        and game_type = 'R'
        and abstract_state = 'Final'
        and coded_game_state not in ('D', 'C')
        and away_score is not null
        and home_score is not null
        and {{ passes_quality_gate('mlb', 'mlb_games.game_pk', 'mlb_games.official_date') }}
),

team_games as (
    select
        season,
        away_team_id as team_id,
        away_score as runs_scored,
        home_score as runs_allowed
    from final_games
    union all
    select
        season,
        home_team_id as team_id,
        home_score as runs_scored,
        away_score as runs_allowed
    from final_games
),

records as (
    select
        season,
        team_id,
        count(*)::integer as games_played,
        count(*) filter (where runs_scored > runs_allowed)::integer as wins,
        count(*) filter (where runs_scored < runs_allowed)::integer as losses,
        sum(runs_scored)::integer as runs_scored,
        sum(runs_allowed)::integer as runs_allowed
    from team_games
    group by season, team_id
),

final as (
    select
        records.season,
        records.team_id,
        teams.name as team_name,
        teams.league_id,
        teams.division_id,
        records.games_played,
        records.wins,
        records.losses,
        round(records.wins::numeric / nullif(records.wins + records.losses, 0), 3) as win_pct,
        records.runs_scored,
        records.runs_allowed,
        records.runs_scored - records.runs_allowed as run_differential
    from records
    left join staging.mlb_teams as teams on records.team_id = teams.team_id
),

{{ refresh_slice(
    "curated.mlb_team_standings", ["season", "team_id"],
    ["team_name", "league_id", "division_id", "games_played", "wins", "losses", "win_pct",
     "runs_scored", "runs_allowed", "run_differential"],
    "season", "seasons", "integer",
) }}
