-- purpose:   the raw partitions archived to files, newest first, and whether restored
-- grain:     one row per export
-- keys:      archive_id
-- partition: none
-- sources:   ops.archived_partitions
select
    archive_id,
    table_name,
    partition_name,
    range_start,
    range_end,
    row_count,
    archived_at,
    restored_at,
    file_path
from ops.archived_partitions
order by archive_id desc
