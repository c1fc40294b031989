-- purpose:   close a run: succeeded when every planned partition is done, else failed
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.run_partitions, ops.pipeline_checkpoints
with outcome as (
    select
        count(*) filter (where checkpoint.status = 'failed') as failed,
        count(*) filter (where checkpoint.status = 'partial') as partial
    from ops.run_partitions as planned
    inner join ops.pipeline_checkpoints as checkpoint
        on
            planned.source = checkpoint.source
            and planned.endpoint = checkpoint.endpoint
            and planned.partition_key = checkpoint.partition_key
    where planned.run_id = %(run_id)s
)

update ops.pipeline_runs as run
set
    status = case when outcome.failed + outcome.partial = 0 then 'succeeded' else 'failed' end,
    finished_at = now(),
    message = case
        when outcome.failed + outcome.partial = 0 then null
        else format('%%s partitions failed, %%s partial (see ops.dead_letters)',
            outcome.failed, outcome.partial)
    end
from outcome
where run.run_id = %(run_id)s and run.status = 'running'
returning run.status, run.message
