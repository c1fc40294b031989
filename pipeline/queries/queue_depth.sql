-- purpose:   procrastinate jobs by status: how deep the queue is
-- grain:     one row per job status
-- keys:      status
-- partition: none
-- sources:   procrastinate_jobs
select
    status::text as status,
    count(*) as jobs
from procrastinate_jobs
group by status
order by status
