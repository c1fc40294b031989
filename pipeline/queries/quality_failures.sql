-- purpose:   the failed checks of one run (default: the run of the newest result), with a sample of
--            the failing keys, and the raw versions quarantined for its partitions
-- grain:     one row per failed check and partition, then per quarantined raw version
-- keys:      check_name, partition_key
-- partition: none
-- sources:   ops.data_quality_checks, ops.raw_quarantine
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
    results.partition_key,
    results.rows_failing,
    left(results.failing_keys::text, 160) as sample
from ops.data_quality_checks as results
inner join chosen_run on results.run_id is not distinct from chosen_run.run_id
where not results.passed
union all
select
    'raw_shape:' || refused.table_name,
    'error',
    refused.partition_date,
    1,
    left(refused.reason || ' (' || refused.request_key || ')', 160)
from ops.raw_quarantine as refused
where refused.partition_date in (
    select results.partition_key
    from ops.data_quality_checks as results
    inner join chosen_run on results.run_id is not distinct from chosen_run.run_id
)
order by partition_key, check_name
