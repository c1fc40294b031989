-- purpose:   the dates (of the source's dated endpoints) and seasons a run worked on (not skipped), for the curated refresh,
--            recorded on the run; an incremental, lookback or restage run counts only the
--            dates where something changed (its transform wrote rows, or the change log
--            holds a value it changed); every run adds the dates owed a refresh
--            (ops.curated_pending: staging changed or the gate moved, by this run or by
--            one whose aggregate did not finish), returned with their versions so the
--            aggregate clears exactly those marks; what a failed error quality check holds
--            back is left out by the curated files themselves (the quality gate), so every
--            path agrees
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.pipeline_runs, ops.run_partitions, ops.job_log, ops.change_log, ops.curated_pending
-- note:      run by the aggregate in its transaction, so the recorded scope commits with it
with this_run as (
    select
        mode,
        source
    from ops.pipeline_runs
    where run_id = %(run_id)s
),

worked as (
    select
        planned.endpoint,
        planned.partition_key
    from ops.run_partitions as planned
    cross join this_run
    where
        planned.run_id = %(run_id)s
        and not planned.is_skipped
        and (
            this_run.mode not in ('incremental', 'lookback', 'restage')
            or exists (
                select 1
                from ops.job_log as job
                where
                    job.run_id = planned.run_id
                    and job.stage = 'transform'
                    and job.status = 'succeeded'
                    and job.endpoint = planned.endpoint
                    and job.partition_key = planned.partition_key
                    and job.rows_written > 0
            )
            or exists (
                select 1
                from ops.change_log as change
                where change.run_id = planned.run_id and change.partition_date = planned.partition_key
            )
        )
),

pending as (
    select
        pending.partition_date,
        pending.version
    from ops.curated_pending as pending
    inner join this_run on pending.source = this_run.source
),

days as (
    select
        partition_key as day,
        endpoint = any(%(dated_endpoints)s::text[]) as is_dated
    from worked
    union all
    select
        partition_date,
        true
    from pending
),

scope as (
    select
        coalesce(array_agg(distinct day order by day) filter (where is_dated), '{}') as dates,
        coalesce(array_agg(distinct extract(year from day)::integer), '{}') as seasons,
        (select coalesce(array_agg(pending.partition_date order by pending.partition_date), '{}') from pending) as pending_dates,
        (select coalesce(array_agg(pending.version order by pending.partition_date), '{}') from pending) as pending_versions
    from days
)

update ops.pipeline_runs as run
set
    curated_dates = scope.dates,
    curated_seasons = scope.seasons
from scope
where run.run_id = %(run_id)s
returning scope.dates, scope.seasons, scope.pending_dates, scope.pending_versions
