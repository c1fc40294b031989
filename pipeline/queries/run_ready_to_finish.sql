-- purpose:   running runs none of whose partitions is still pending or extracted
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.pipeline_runs, ops.run_partitions, ops.pipeline_checkpoints
select
    run.run_id,
    run.source
from ops.pipeline_runs as run
where
    run.status = 'running'
    and (%(source)s::text is null or run.source = %(source)s)
    and not exists (
        select 1
        from ops.run_partitions as planned
        inner join ops.pipeline_checkpoints as checkpoint
            on
                planned.source = checkpoint.source
                and planned.endpoint = checkpoint.endpoint
                and planned.partition_key = checkpoint.partition_key
        where
            planned.run_id = run.run_id
            and checkpoint.status in ('pending', 'extracted')
    )
order by run.run_id
