-- purpose:   the games (and whole dates) a failed error check holds back from curated now,
--            with the checks that failed, for the quality report and `quality run`
-- grain:     one row per held-back game, or per date blocked without naming a game
-- keys:      partition_key, game_pk
-- partition: partition_key
-- sources:   ops.quality_blocked_games, ops.quality_blocked_partitions
select
    source,
    partition_key,
    game_pk::text as game_pk,
    array_to_string(failing_checks, ', ') as failing_checks
from ops.quality_blocked_games
where
    (%(start_date)s::date is null or partition_key >= %(start_date)s::date)
    and (%(end_date)s::date is null or partition_key <= %(end_date)s::date)
union all
select
    source,
    partition_key,
    'every game of the date',
    array_to_string(failing_checks, ', ')
from ops.quality_blocked_partitions
where
    (%(start_date)s::date is null or partition_key >= %(start_date)s::date)
    and (%(end_date)s::date is null or partition_key <= %(end_date)s::date)
order by 2, 3
