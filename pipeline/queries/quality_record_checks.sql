-- purpose:   record the results of a partition's checks, all in one statement; when an
--            error check failed, list its offending rows in ops.quarantined_rows (they
--            stay in staging, flagged). The results come as arrays, one element per check
--            (check names unique); one row back per check, in the order given: its
--            check_result_id and the rows it quarantined
-- grain:     one row per check, run and partition
-- keys:      check_result_id
-- partition: partition_key
-- sources:   none
with results as (
    select
        result.check_name,
        result.severity,
        result.rows_checked,
        result.rows_failing,
        result.metric_value,
        result.threshold,
        result.passed,
        result.failing_keys,
        result.details,
        result.position
    from unnest(
        %(check_names)s::text[],
        %(severities)s::text[],
        %(rows_checked)s::bigint[],
        %(rows_failing)s::bigint[],
        %(metric_values)s::numeric[],
        %(thresholds)s::numeric[],
        %(passed)s::boolean[],
        %(failing_keys)s::jsonb[],
        %(details)s::jsonb[]
    ) with ordinality as result (
        check_name, severity, rows_checked, rows_failing, metric_value, threshold, passed, failing_keys, details,
        position
    )
),

recorded as (
    insert into ops.data_quality_checks (
        run_id, source, check_name, severity, partition_key, rows_checked, rows_failing,
        metric_value, threshold, passed, failing_keys, details
    )
    select
        %(run_id)s,
        %(source)s,
        result.check_name,
        result.severity,
        %(partition_key)s,
        result.rows_checked,
        result.rows_failing,
        result.metric_value,
        result.threshold,
        result.passed,
        coalesce((
            select jsonb_agg(failing.key_value order by failing.position)
            from jsonb_array_elements(result.failing_keys) with ordinality as failing (key_value, position)
            where failing.position <= 20
        ), '[]'),
        result.details
    from results as result
    order by result.position
    returning check_result_id, check_name
),

quarantined as (
    insert into ops.quarantined_rows (check_result_id, run_id, source, check_name, partition_key, row_key)
    select
        recorded.check_result_id,
        %(run_id)s,
        %(source)s,
        result.check_name,
        %(partition_key)s,
        failing.key_value
    from recorded
    inner join results as result on recorded.check_name = result.check_name
    cross join jsonb_array_elements(result.failing_keys) as failing (key_value)
    where result.severity = 'error' and not result.passed
    returning check_name
)

select
    recorded.check_result_id,
    (select count(*) from quarantined where quarantined.check_name = result.check_name) as rows_quarantined
from results as result
inner join recorded on result.check_name = recorded.check_name
order by result.position
