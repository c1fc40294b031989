-- purpose:   procrastinate jobs by task and status, for the pipeline_queue_jobs gauge
-- grain:     one row per task and status
-- keys:      task_name, status
-- partition: none
-- sources:   procrastinate_jobs
select
    task_name,
    status::text as status,
    count(*) as jobs
from procrastinate_jobs
group by task_name, status
