-- purpose:   mark the latest export of a partition as restored
-- grain:     one row per export
-- keys:      archive_id
-- partition: none
-- sources:   ops.archived_partitions
update ops.archived_partitions
set restored_at = now()
where archive_id = (
    select max(archive_id) from ops.archived_partitions where partition_name = %(partition_name)s
)
