-- purpose:   the source (base URL, simulator identity) of the newest run of a source that
--            landed data: what a new backfill must match
-- grain:     one row (none when nothing recorded has landed)
-- keys:      run_id
-- partition: none
-- sources:   ops.pipeline_runs, ops.job_log
select
    run.run_id,
    run.source_url,
    run.source_identity
from ops.pipeline_runs as run
where
    run.source = %(source)s
    and run.source_url is not null
    and exists (
        select 1
        from ops.job_log as job
        where job.run_id = run.run_id and job.stage = 'extract' and job.versions_added > 0
    )
order by run.run_id desc
limit 1
