-- purpose:   how many earlier runs of a job stopped at an open circuit breaker (they do
--            not count against the job's attempts)
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   ops.job_log
select count(*)
from ops.job_log
where job_id = %(job_id)s and error like 'SourceUnavailable:%%'
