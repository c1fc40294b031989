-- purpose:   each player's regular-season batting line with rate stats (avg, obp, slg, ops)
-- grain:     one row per season and player
-- keys:      season, player_id
-- partition: season (recomputed for the seasons a run touched; games held back by a
--            failed error quality check are left out)
-- sources:   staging.mlb_player_batting, staging.mlb_games, ops.quality_blocked_games,
--            ops.quality_blocked_partitions
{%- from "_macros.sql" import in_seasons, passes_quality_gate, refresh_slice %}
{%- set counts = [
    "plate_appearances", "at_bats", "runs", "hits", "doubles", "triples", "home_runs",
    "rbi", "base_on_balls", "strike_outs", "stolen_bases", "caught_stealing",
    "hit_by_pitch", "sac_flies", "total_bases",
] %}
with batting_lines as (
    select
        batting.*,
        games.game_date
    from staging.mlb_player_batting as batting
    inner join staging.mlb_games as games on batting.game_pk = games.game_pk
    where
        batting.season = any(%(seasons)s::integer[])
        and {{ in_seasons("batting.official_date") }}
        and games.game_type = 'R'
        and {{ passes_quality_gate('mlb', 'batting.game_pk', 'batting.official_date') }}
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
    from batting_lines
    group by season, player_id
),

with_rates as (
    select
        *,
        round(hits::numeric / nullif(at_bats, 0), 3) as avg,
        round(
            (hits + base_on_balls + hit_by_pitch)::numeric
            / nullif(at_bats + base_on_balls + hit_by_pitch + sac_flies, 0), 3
        ) as obp,
        round(total_bases::numeric / nullif(at_bats, 0), 3) as slg
    from season_totals
),

final as (
    select
        *,
        coalesce(obp, 0) + coalesce(slg, 0) as ops
    from with_rates
),

{{ refresh_slice(
    "curated.mlb_player_season_batting", ["season", "player_id"],
    ["team_id", "games"] + counts + ["avg", "obp", "slg", "ops"],
    "season", "seasons", "integer",
) }}
