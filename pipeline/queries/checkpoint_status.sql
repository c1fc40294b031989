-- purpose:   where one partition's checkpoint stands
-- grain:     one row per partition
-- keys:      source, endpoint, partition_key
-- partition: partition_key
-- sources:   ops.pipeline_checkpoints
select
    status,
    items_total,
    items_failed
from ops.pipeline_checkpoints
where source = %(source)s and endpoint = %(endpoint)s and partition_key = %(partition_key)s
