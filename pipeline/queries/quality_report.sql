-- purpose:   the check results of one run (default: the run of the newest result; `pipeline quality run`
--            results have no run): per check,
--            partitions checked and failed, rows failing, worst metric against the threshold
-- grain:     one row per check
-- keys:      check_name
-- partition: none
-- sources:   ops.data_quality_checks
with chosen_run as (
    -- the run asked for, else the run of the newest result (null: the on-demand checks)
    select coalesce(
        %(run_id)s::bigint,
        (select run_id from ops.data_quality_checks order by check_result_id desc limit 1)
    ) as run_id
)

select
    results.check_name,
    results.severity,
    count(*) as partitions,
    count(*) filter (where not results.passed) as partitions_failed,
    sum(results.rows_checked) as rows_checked,
    sum(results.rows_failing) as rows_failing,
    max(results.metric_value) as worst_metric,
    max(results.threshold) as threshold
from ops.data_quality_checks as results
inner join chosen_run on results.run_id is not distinct from chosen_run.run_id
group by results.check_name, results.severity
order by results.check_name
