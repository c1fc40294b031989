-- purpose:   record one check's result for a partition; when an error check failed, list
--            its offending rows in ops.quarantined_rows (they stay in staging, flagged)
-- grain:     one row per check, run and partition
-- keys:      check_result_id
-- partition: partition_key
-- sources:   none
with recorded as (
    insert into ops.data_quality_checks (
        run_id, source, check_name, severity, partition_key, rows_checked, rows_failing,
        metric_value, threshold, passed, failing_keys, details
    )
    select
        %(run_id)s,
        %(source)s,
        %(check_name)s,
        %(severity)s,
        %(partition_key)s,
        %(rows_checked)s,
        %(rows_failing)s,
        %(metric_value)s,
        %(threshold)s,
        %(passed)s,
        coalesce((
            select jsonb_agg(failing.key_value order by failing.position)
            from jsonb_array_elements(%(failing_keys)s::jsonb) with ordinality as failing (key_value, position)
            where failing.position <= 20
        ), '[]'),
        %(details)s
    returning check_result_id
),

quarantined as (
    insert into ops.quarantined_rows (check_result_id, run_id, source, check_name, partition_key, row_key)
    select
        recorded.check_result_id,
        %(run_id)s,
        %(source)s,
        %(check_name)s,
        %(partition_key)s,
        failing.key_value
    from recorded
    cross join jsonb_array_elements(%(failing_keys)s::jsonb) as failing (key_value)
    where %(severity)s = 'error' and not %(passed)s
    returning 1
)

select
    (select check_result_id from recorded) as check_result_id,
    (select count(*) from quarantined) as rows_quarantined
