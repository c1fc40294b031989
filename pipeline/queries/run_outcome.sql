-- purpose:   how a run ended, for its final line and the exit code: its status and quality
--            outcome, its partitions that failed or are partial, the dead letters still
--            open for its partitions, and the games the quality gate holds back from them
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.pipeline_runs, ops.run_partitions, ops.pipeline_checkpoints,
--            ops.dead_letters, ops.quality_blocked_games, ops.quality_blocked_partitions
with this_run as (
    select
        run_id,
        source,
        status,
        quality_status,
        message
    from ops.pipeline_runs
    where run_id = %(run_id)s
),

worked as (
    select distinct
        planned.source,
        planned.endpoint,
        planned.partition_key,
        checkpoint.status
    from ops.run_partitions as planned
    inner join this_run on planned.run_id = this_run.run_id
    left join ops.pipeline_checkpoints as checkpoint
        on
            planned.source = checkpoint.source
            and planned.endpoint = checkpoint.endpoint
            and planned.partition_key = checkpoint.partition_key
    where not planned.is_skipped
),

worked_dates as (
    select distinct
        source,
        partition_key
    from worked
)

select
    this_run.status,
    this_run.quality_status,
    (select count(*) from worked where worked.status = 'failed') as partitions_failed,
    (select count(*) from worked where worked.status = 'partial') as partitions_partial,
    (
        select count(*)
        from ops.dead_letters as letter
        inner join worked_dates
            on letter.source = worked_dates.source and letter.partition_key = worked_dates.partition_key
        where letter.resolved_at is null
    ) as dead_letters_open,
    (
        select count(*)
        from ops.quality_blocked_games as blocked
        inner join worked_dates
            on blocked.source = worked_dates.source and blocked.partition_key = worked_dates.partition_key
    ) as games_held_back,
    (
        select count(*)
        from ops.quality_blocked_partitions as blocked
        inner join worked_dates
            on blocked.source = worked_dates.source and blocked.partition_key = worked_dates.partition_key
    ) as dates_held_back,
    this_run.message
from this_run
