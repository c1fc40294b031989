-- purpose:   the partitions holding open dead letters of a source (one letter by id, or
--            all): what a replay run must redo
-- grain:     one row per partition
-- keys:      endpoint_group, partition_key
-- partition: partition_key
-- sources:   ops.dead_letters, ops.pipeline_checkpoints
select distinct
    checkpoint.endpoint as endpoint_group,
    checkpoint.partition_key
from ops.dead_letters as letter
inner join ops.pipeline_runs as run on letter.run_id = run.run_id
inner join ops.run_partitions as planned
    on
        run.run_id = planned.run_id
        and letter.source = planned.source
        and letter.partition_key = planned.partition_key
inner join ops.pipeline_checkpoints as checkpoint
    on
        planned.source = checkpoint.source
        and planned.endpoint = checkpoint.endpoint
        and planned.partition_key = checkpoint.partition_key
where
    letter.source = %(source)s
    and letter.resolved_at is null
    and (%(dead_letter_id)s::bigint is null or letter.dead_letter_id = %(dead_letter_id)s)
order by 1, 2
