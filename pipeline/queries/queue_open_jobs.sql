-- purpose:   how many jobs are waiting or running in the pipeline's queue
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   procrastinate_jobs
select count(*)
from procrastinate_jobs
where queue_name = %(queue)s and status in ('todo', 'doing')
