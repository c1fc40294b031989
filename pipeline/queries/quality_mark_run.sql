-- purpose:   mark how a run's quality checks ended: failed when the latest result of an
--            error check of one of its partitions failed, warned for a warn check, else passed
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.data_quality_checks
with latest as (
    select distinct on (partition_key, check_name)
        severity,
        passed
    from ops.data_quality_checks
    where run_id = %(run_id)s
    order by partition_key asc, check_name asc, checked_at desc, check_result_id desc
)

update ops.pipeline_runs
set quality_status = case
    when exists (select 1 from latest where severity = 'error' and not passed) then 'failed'
    when exists (select 1 from latest where not passed) then 'warned'
    else 'passed'
end
where run_id = %(run_id)s and exists (select 1 from latest)
returning quality_status
