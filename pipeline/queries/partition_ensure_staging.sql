-- purpose:   create the yearly partitions of every partitioned staging table for a date range
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   none
select ops.ensure_staging_partitions(%(from_date)s, %(to_date)s) as created
