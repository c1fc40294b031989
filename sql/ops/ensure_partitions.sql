-- purpose:   create the monthly partitions of a raw table for a date range, ahead of need
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   none
select ops.ensure_monthly_partitions(%(table_name)s, %(from_date)s, %(to_date)s) as created
