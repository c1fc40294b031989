-- purpose:   create the monthly partitions of a raw table for a date range, ahead of need,
--            and the yearly partitions of the partitioned staging tables for the same range
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   none
select
    ops.ensure_monthly_partitions(%(table_name)s, %(from_date)s, %(to_date)s)
    + ops.ensure_staging_partitions(%(from_date)s, %(to_date)s) as created
