-- purpose:   each date's totals over the games promoted to curated, and how many final
--            games of the date a failed error quality check held back (and which)
-- grain:     one row per date with a final game
-- keys:      official_date
-- partition: official_date (recomputed for the dates a run touched)
-- sources:   staging.mlb_games, staging.mlb_player_batting, ops.quality_blocked_games,
--            ops.quality_blocked_partitions
{%- from "_macros.sql" import passes_quality_gate, refresh_slice %}
with final_games as (
    select
        game_pk,
        season,
        official_date,
        {{ passes_quality_gate('mlb', 'mlb_games.game_pk', 'mlb_games.official_date') }} as is_promoted
    from staging.mlb_games as mlb_games
    where
        official_date = any(%(dates)s::date[])
        and abstract_state = 'Final'
        and coded_game_state not in ('D', 'C')
),

batting_totals as (
    select
        batting.game_pk,
        sum(batting.runs) as runs,
        sum(batting.hits) as hits,
        sum(batting.home_runs) as home_runs
    from staging.mlb_player_batting as batting
    where batting.official_date = any(%(dates)s::date[])
    group by batting.game_pk
),

final as (
    select
        final_games.official_date,
        max(final_games.season) as season,
        count(*)::integer as games_final,
        count(*) filter (where final_games.is_promoted)::integer as games_promoted,
        count(*) filter (where not final_games.is_promoted)::integer as games_held_back,
        coalesce(
            array_agg(final_games.game_pk order by final_games.game_pk) filter (where not final_games.is_promoted),
            '{}'
        ) as held_back_game_pks,
        coalesce(sum(batting_totals.runs) filter (where final_games.is_promoted), 0)::integer as runs,
        coalesce(sum(batting_totals.hits) filter (where final_games.is_promoted), 0)::integer as hits,
        coalesce(sum(batting_totals.home_runs) filter (where final_games.is_promoted), 0)::integer as home_runs
    from final_games
    left join batting_totals on final_games.game_pk = batting_totals.game_pk
    group by final_games.official_date
),

{{ refresh_slice(
    "curated.mlb_daily_totals", ["official_date"],
    ["season", "games_final", "games_promoted", "games_held_back", "held_back_game_pks", "runs", "hits",
     "home_runs"],
    "official_date", "dates", "date",
) }}
