-- purpose:   job attempts beyond the first, per task: how often procrastinate retried
-- grain:     one row per task
-- keys:      task_name
-- partition: none
-- sources:   procrastinate_jobs
select
    task_name,
    -- a finished job's attempts include its last one; a queued or running job's do not
    sum(case when status in ('todo', 'doing') then attempts else greatest(attempts - 1, 0) end) as retries
from procrastinate_jobs
group by task_name
