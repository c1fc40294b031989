-- purpose:   the latest runs with their partitions by checkpoint status (extracted apart
--            from pending) and how their quality checks ended
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.pipeline_runs, ops.run_partitions, ops.pipeline_checkpoints
select
    run.run_id,
    run.source,
    run.mode,
    run.status,
    coalesce(run.quality_status, '-') as quality,
    run.started_at,
    coalesce(run.finished_at, now()) - run.started_at as duration,
    count(planned.partition_key) as planned,
    count(*) filter (where planned.is_skipped) as skipped,
    count(*) filter (where checkpoint.status = 'done' and not planned.is_skipped) as done,
    count(*) filter (where checkpoint.status in ('failed', 'partial')) as failed,
    count(*) filter (where checkpoint.status = 'extracted' and not planned.is_skipped) as extracted,
    count(*) filter (where checkpoint.status = 'pending' and not planned.is_skipped) as pending,
    run.message
from ops.pipeline_runs as run
left join ops.run_partitions as planned on run.run_id = planned.run_id
left join ops.pipeline_checkpoints as checkpoint
    on
        planned.source = checkpoint.source
        and planned.endpoint = checkpoint.endpoint
        and planned.partition_key = checkpoint.partition_key
group by run.run_id
order by run.run_id desc
limit %(limit)s
