-- purpose:   move the rows the staging default partitions caught into yearly partitions
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   staging.*_default
select ops.drain_staging_defaults() as rows_moved
