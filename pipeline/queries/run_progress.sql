-- purpose:   where runs stand: status, the partitions they set out to do by checkpoint
--            status (extracted apart from pending), when the last of them finished, and
--            the requests made so far (one run by id, or every running run)
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.pipeline_runs, ops.run_partitions, ops.pipeline_checkpoints, ops.job_log
with chosen as (
    select
        run_id,
        status,
        started_at,
        finished_at,
        message
    from ops.pipeline_runs
    where
        (%(run_id)s::bigint is not null and run_id = %(run_id)s::bigint)
        or (%(run_id)s::bigint is null and status = 'running')
),

partitions as (
    select
        chosen.run_id,
        planned.is_skipped,
        checkpoint.status,
        checkpoint.updated_at,
        checkpoint.last_run_id
    from chosen
    inner join ops.run_partitions as planned on chosen.run_id = planned.run_id
    left join ops.pipeline_checkpoints as checkpoint
        on
            planned.source = checkpoint.source
            and planned.endpoint = checkpoint.endpoint
            and planned.partition_key = checkpoint.partition_key
),

counted as (
    select
        run_id,
        count(*) as planned,
        count(*) filter (where is_skipped) as skipped,
        count(*) filter (where not is_skipped and status = 'done') as done,
        count(*) filter (where not is_skipped and status in ('failed', 'partial')) as failed,
        count(*) filter (where not is_skipped and status = 'extracted') as extracted,
        count(*) filter (where not is_skipped and status = 'pending') as pending,
        max(updated_at) filter (
            where not is_skipped and status in ('done', 'failed', 'partial') and last_run_id = run_id
        ) as last_finished_at
    from partitions
    group by run_id
)

select
    chosen.run_id,
    chosen.status,
    chosen.started_at,
    chosen.finished_at,
    chosen.message,
    coalesce(counted.planned, 0) as planned,
    coalesce(counted.skipped, 0) as skipped,
    coalesce(counted.done, 0) as done,
    coalesce(counted.failed, 0) as failed,
    coalesce(counted.extracted, 0) as extracted,
    coalesce(counted.pending, 0) as pending,
    counted.last_finished_at,
    (select coalesce(sum(job.requests), 0) from ops.job_log as job where job.run_id = chosen.run_id) as requests,
    now() as read_at
from chosen
left join counted on chosen.run_id = counted.run_id
order by chosen.run_id
