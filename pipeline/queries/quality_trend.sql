-- purpose:   quality trend: per recent run, partitions checked, failed error and warn checks,
--            rows failing and rows quarantined
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.data_quality_checks, ops.quarantined_rows, ops.pipeline_runs
select
    results.run_id,
    runs.quality_status,
    count(distinct results.partition_key) as partitions,
    count(*) filter (where results.severity = 'error' and not results.passed) as errors_failed,
    count(*) filter (where results.severity = 'warn' and not results.passed) as warnings,
    sum(results.rows_failing) as rows_failing,
    (select count(*) from ops.quarantined_rows as quarantined where quarantined.run_id = results.run_id)
        as rows_quarantined
from ops.data_quality_checks as results
left join ops.pipeline_runs as runs on results.run_id = runs.run_id
group by results.run_id, runs.quality_status
order by results.run_id desc
limit %(limit)s
