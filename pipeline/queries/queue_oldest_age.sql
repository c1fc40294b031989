-- purpose:   age in seconds of the oldest job waiting to run (queued and due), 0 when none
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   procrastinate_jobs, procrastinate_events
with waiting as (
    select
        job.id,
        greatest(coalesce(job.scheduled_at, '-infinity'), min(event.at)) as waiting_since
    from procrastinate_jobs as job
    inner join procrastinate_events as event on job.id = event.job_id
    where job.status = 'todo' and (job.scheduled_at is null or job.scheduled_at <= now())
    group by job.id, job.scheduled_at
)

select coalesce(extract(epoch from now() - min(waiting_since)), 0)::double precision as age_seconds
from waiting
