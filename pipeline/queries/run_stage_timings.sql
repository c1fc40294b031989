-- purpose:   how long each stage of a run took: wall time, summed job time, what moved
-- grain:     one row per stage of a run
-- keys:      stage
-- partition: none
-- sources:   ops.job_log
select
    stage,
    count(*) as jobs,
    count(*) filter (where status = 'failed') as failed_jobs,
    extract(epoch from max(finished_at) - min(started_at))::numeric(10, 2) as wall_seconds,
    extract(epoch from sum(finished_at - started_at))::numeric(10, 2) as job_seconds,
    sum(requests) as requests,
    sum(bytes_landed) as bytes_landed,
    sum(land_seconds) as land_seconds,
    sum(versions_added) as versions_added,
    sum(rows_written) as rows_written
from ops.job_log
where run_id = %(run_id)s
group by stage
order by min(started_at)
