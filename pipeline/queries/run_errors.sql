-- purpose:   the distinct errors that failed a run's partitions, most frequent first
-- grain:     one row per error text
-- keys:      last_error
-- partition: none
-- sources:   ops.run_partitions, ops.pipeline_checkpoints
select
    checkpoint.last_error,
    count(*) as partitions
from ops.run_partitions as planned
inner join ops.pipeline_checkpoints as checkpoint
    on
        planned.source = checkpoint.source
        and planned.endpoint = checkpoint.endpoint
        and planned.partition_key = checkpoint.partition_key
where
    planned.run_id = %(run_id)s
    and checkpoint.status in ('failed', 'partial')
    and checkpoint.last_error is not null
group by checkpoint.last_error
order by count(*) desc
limit 3
