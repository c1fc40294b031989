-- purpose:   move the rows a raw table's default partition caught into monthly partitions
--            created for them (nothing is lost: delete and insert in one transaction)
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   raw.<table>_default
select ops.drain_default_partition(%(table_name)s) as rows_moved
