-- purpose:   a run, and those of its partitions that are not done now (failed, partial,
--            or never reached): what `pipeline run retry` queues again
-- grain:     one row per such partition; one row with a null partition when there is
--            none; no row when the run does not exist
-- keys:      endpoint, partition_key
-- partition: none
-- sources:   ops.pipeline_runs, ops.run_partitions, ops.pipeline_checkpoints
select
    run.source,
    run.status,
    unfinished.endpoint,
    unfinished.partition_key
from ops.pipeline_runs as run
left join lateral (
    select
        planned.endpoint,
        planned.partition_key
    from ops.run_partitions as planned
    left join ops.pipeline_checkpoints as checkpoint
        on
            planned.source = checkpoint.source
            and planned.endpoint = checkpoint.endpoint
            and planned.partition_key = checkpoint.partition_key
    where
        planned.run_id = run.run_id
        and not planned.is_skipped
        and checkpoint.status is distinct from 'done'
) as unfinished on true
where run.run_id = %(run_id)s
order by unfinished.endpoint, unfinished.partition_key
