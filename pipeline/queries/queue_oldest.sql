-- purpose:   the jobs waiting in the queue, the jobs running, and how long the oldest
--            waiting job has waited since it was deferred
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   procrastinate_jobs, procrastinate_events
select
    count(*) filter (where job.status = 'todo') as queued,
    count(*) filter (where job.status = 'doing') as running,
    extract(epoch from now() - min(deferred.deferred_at) filter (where job.status = 'todo'))::numeric(12, 1)
        as oldest_queued_seconds
from procrastinate_jobs as job
left join lateral (
    select min(event.at) as deferred_at
    from procrastinate_events as event
    where event.job_id = job.id and event.type = 'deferred'
) as deferred on true
where job.status in ('todo', 'doing')
