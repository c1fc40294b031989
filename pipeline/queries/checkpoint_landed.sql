-- purpose:   which of the given partitions of a source were landed completely before
--            (checkpoint done or partial): what a restage may re-run from the raw zone
-- grain:     one row per partition
-- keys:      endpoint, partition_key
-- partition: partition_key
-- sources:   ops.pipeline_checkpoints
with wanted as (
    select
        unnest(%(endpoints)s::text[]) as endpoint,
        unnest(%(partition_keys)s::date[]) as partition_key
)

select
    checkpoint.endpoint,
    checkpoint.partition_key
from ops.pipeline_checkpoints as checkpoint
inner join wanted
    on checkpoint.endpoint = wanted.endpoint and checkpoint.partition_key = wanted.partition_key
where checkpoint.source = %(source)s and checkpoint.status in ('done', 'partial')
order by checkpoint.endpoint, checkpoint.partition_key
