-- purpose:   record a verified export of a raw partition
-- grain:     one row per export
-- keys:      archive_id
-- partition: none
-- sources:   none
insert into ops.archived_partitions (
    table_name, partition_name, range_start, range_end, row_count, rows_md5, file_path, file_sha256
)
values (
    %(table_name)s, %(partition_name)s, %(range_start)s, %(range_end)s, %(row_count)s,
    %(rows_md5)s, %(file_path)s, %(file_sha256)s
)
returning archive_id
