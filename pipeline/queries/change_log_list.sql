-- purpose:   the audit trail: staging values changed, newest first, optionally since a
--            time, for one table or one run
-- grain:     one row per changed value
-- keys:      change_id
-- partition: none
-- sources:   ops.change_log
select
    change_id,
    changed_at,
    run_id,
    table_name,
    row_key::text as row_key,
    column_name,
    old_value::text as old_value,
    new_value::text as new_value,
    raw_id_before,
    raw_id_after
from ops.change_log
where
    (%(since)s::timestamptz is null or changed_at >= %(since)s)
    and (%(table_name)s::text is null or table_name = %(table_name)s or table_name = 'staging.' || %(table_name)s)
    and (%(run_id)s::bigint is null or run_id = %(run_id)s)
order by change_id desc
limit %(limit)s
