-- purpose:   each pitcher's regular-season line with era and whip
-- grain:     one row per season and player
-- keys:      season, player_id
-- partition: season (recomputed for the seasons a run touched; games held back by a
--            failed error quality check are left out)
-- sources:   staging.mlb_player_pitching, staging.mlb_games, ops.quality_blocked_games,
--            ops.quality_blocked_partitions
{%- from "_macros.sql" import in_seasons, passes_quality_gate, refresh_slice %}
{%- set counts = [
    "games_started", "outs", "hits", "runs", "earned_runs", "base_on_balls",
    "strike_outs", "home_runs", "batters_faced", "pitches", "wins", "losses", "saves",
    "holds",
] %}
with pitching_lines as (
    select
        pitching.*,
        games.game_date
    from staging.mlb_player_pitching as pitching
    inner join staging.mlb_games as games on pitching.game_pk = games.game_pk
    where
        pitching.season = any(%(seasons)s::integer[])
        and {{ in_seasons("pitching.official_date") }}
        and games.game_type = 'R'
        and {{ passes_quality_gate('mlb', 'pitching.game_pk', 'pitching.official_date') }}
),

season_totals as (
    select
        season,
        player_id,
        (array_agg(team_id order by game_date desc, game_pk desc))[1] as team_id,
        count(distinct game_pk)::integer as games,
        {%- for column in counts %}
        coalesce(sum({{ column }}), 0)::integer as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from pitching_lines
    group by season, player_id
),

final as (
    select
        *,
        -- the API's notation: "6.2" is six innings and two outs
        (outs / 3)::text || '.' || (outs %% 3)::text as innings_pitched,
        round(earned_runs * 27.0 / nullif(outs, 0), 2) as era,
        round((base_on_balls + hits) * 3.0 / nullif(outs, 0), 2) as whip
    from season_totals
),

{{ refresh_slice(
    "curated.mlb_player_season_pitching", ["season", "player_id"],
    ["team_id", "games"] + counts + ["innings_pitched", "era", "whip"],
    "season", "seasons", "integer",
) }}
