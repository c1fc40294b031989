-- purpose:   queue depth and request rate over the last hour (or since the first job of
--            it), sampled at 60 points: jobs waiting at each point, requests/s before it
-- grain:     one row per sample point
-- keys:      sampled_at
-- partition: none
-- sources:   procrastinate_events, ops.job_log
with bounds as (
    select
        greatest(min(at), now() - interval '1 hour') as first_at,
        now() as last_at
    from procrastinate_events
    where at > now() - interval '1 hour'
),

points as (
    select
        bounds.first_at + (bounds.last_at - bounds.first_at) * step / 59.0 as sampled_at,
        (bounds.last_at - bounds.first_at) / 59.0 as width
    from bounds
    cross join generate_series(0, 59) as step
    where bounds.first_at is not null
),

jobs as (
    select
        job_id,
        min(at) filter (where type = 'deferred') as deferred_at,
        min(at) filter (where type = 'started') as started_at
    from procrastinate_events
    group by job_id
),

waiting as (
    select
        points.sampled_at,
        count(jobs.job_id) as queued
    from points
    left join jobs
        on
            points.sampled_at >= jobs.deferred_at
            and (jobs.started_at is null or points.sampled_at < jobs.started_at)
    group by points.sampled_at
),

recent_jobs as (
    select
        job_log.finished_at,
        job_log.requests
    from ops.job_log as job_log
    cross join bounds
    where job_log.finished_at >= bounds.first_at - interval '1 minute'
),

requests as (
    select
        points.sampled_at,
        coalesce(sum(job_log.requests), 0) / greatest(extract(epoch from min(points.width)), 0.001) as per_second
    from points
    left join recent_jobs as job_log
        on
            points.sampled_at - points.width < job_log.finished_at
            and points.sampled_at >= job_log.finished_at
    group by points.sampled_at
)

select
    waiting.sampled_at,
    waiting.queued,
    requests.per_second::double precision as requests_per_second
from waiting
inner join requests on waiting.sampled_at = requests.sampled_at
order by waiting.sampled_at
