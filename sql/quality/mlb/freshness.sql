-- purpose:   freshness: in season (games scheduled within the window before the partition
--            date), the newest finished game is at most `threshold` days older than the date
-- grain:     one row per partition
-- keys:      failing keys: partition_date, newest_final_date
-- partition: partition_date (the as-of date)
-- sources:   staging.mlb_games
-- severity:  warn
-- threshold: 3 (days since the newest final game)
with recent_games as (
    select
        official_date,
        abstract_state = 'Final' and coded_game_state not in ('D', 'C') as is_final
    from staging.mlb_games
    where
        official_date <= %(partition_date)s::date
        and official_date > %(partition_date)s::date - 30
),

in_season as (
    select count(*) as games_scheduled
    from recent_games
    where official_date > %(partition_date)s::date - %(threshold)s::integer
),

newest as (
    select max(official_date) filter (where is_final) as newest_final_date
    from recent_games
),

checked as (
    select
        in_season.games_scheduled,
        newest.newest_final_date,
        case
            when in_season.games_scheduled = 0 then 0
            else %(partition_date)s::date - coalesce(newest.newest_final_date, %(partition_date)s::date - 30)
        end as days_stale
    from in_season
    cross join newest
)

select
    games_scheduled as rows_checked,
    case when days_stale > %(threshold)s::integer then 1 else 0 end as rows_failing,
    days_stale as metric_value,
    case
        when days_stale > %(threshold)s::integer then jsonb_build_array(jsonb_build_object(
            'partition_date', %(partition_date)s::date, 'newest_final_date', newest_final_date))
        else '[]'::jsonb
    end as failing_keys,
    jsonb_build_object('newest_final_date', newest_final_date) as details
from checked
