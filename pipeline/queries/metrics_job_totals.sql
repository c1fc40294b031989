-- purpose:   what workers did, summed over the job log: jobs, requests, bytes landed,
--            rows written, seconds spent, per source, endpoint, stage and job status
-- grain:     one row per source, endpoint, stage and status
-- keys:      source, endpoint, stage, status
-- partition: none
-- sources:   ops.job_log
select
    source,
    coalesce(endpoint, '') as endpoint,
    stage,
    status,
    count(*) as jobs,
    sum(requests) as requests,
    sum(bytes_landed) as bytes_landed,
    sum(rows_written) as rows_written,
    sum(extract(epoch from finished_at - started_at))::double precision as seconds
from ops.job_log
group by source, coalesce(endpoint, ''), stage, status
