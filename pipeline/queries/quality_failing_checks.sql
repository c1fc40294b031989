-- purpose:   the error checks whose latest result on a partition failed (they hold back
--            the date or some of its games), by name
-- grain:     one row per check
-- keys:      check_name
-- partition: partition_key
-- sources:   ops.quality_latest_failures
select distinct failed.check_name
from ops.quality_latest_failures as failed
where failed.source = %(source)s and failed.partition_key = %(partition_key)s
order by failed.check_name
