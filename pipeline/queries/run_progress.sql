-- purpose:   where a run stands: its status and its partitions by checkpoint status
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.pipeline_runs, ops.run_partitions, ops.pipeline_checkpoints
select
    run.status,
    run.started_at,
    run.finished_at,
    run.message,
    count(planned.partition_key) as planned,
    count(*) filter (where planned.is_skipped) as skipped,
    count(*) filter (where checkpoint.status = 'done') as done,
    count(*) filter (where checkpoint.status in ('failed', 'partial')) as failed,
    count(*) filter (where checkpoint.status in ('pending', 'extracted')) as pending
from ops.pipeline_runs as run
left join ops.run_partitions as planned on run.run_id = planned.run_id
left join ops.pipeline_checkpoints as checkpoint
    on
        planned.source = checkpoint.source
        and planned.endpoint = checkpoint.endpoint
        and planned.partition_key = checkpoint.partition_key
where run.run_id = %(run_id)s
group by run.run_id
