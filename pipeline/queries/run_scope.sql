-- purpose:   the dates (of the source's dated endpoints) and seasons a run worked on (not skipped), for the curated refresh,
--            recorded on the run; an incremental or lookback run counts only the dates
--            where something changed (its transform wrote rows, or the change log holds a
--            value it changed); what a failed error quality check holds back is left out
--            by the curated files themselves (the quality gate), so every path agrees
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.pipeline_runs, ops.run_partitions, ops.job_log, ops.change_log
-- note:      run by the aggregate in its transaction, so the recorded scope commits with it
with this_run as (
    select mode
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
            this_run.mode not in ('incremental', 'lookback')
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

scope as (
    select
        coalesce(array_agg(distinct partition_key order by partition_key)
            filter (where endpoint = any(%(dated_endpoints)s::text [])), '{}') as dates,
        coalesce(array_agg(distinct extract(year from partition_key)::integer), '{}') as seasons
    from worked
)

update ops.pipeline_runs as run
set
    curated_dates = scope.dates,
    curated_seasons = scope.seasons
from scope
where run.run_id = %(run_id)s
returning scope.dates, scope.seasons
