-- purpose:   whether a failed error-severity quality check blocks a partition from curated
-- grain:     one row per call
-- keys:      none
-- partition: partition_key
-- sources:   ops.quality_blocked_partitions
select exists (
    select 1
    from ops.quality_blocked_partitions
    where source = %(source)s and partition_key = %(partition_key)s
) as is_blocked
