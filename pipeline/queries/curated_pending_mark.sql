-- purpose:   after a partition was staged or checked: mark its date as owed a curated
--            refresh when staging rows were written, or when the quality gate on the date
--            moved (an error check just recorded failed, or the result before it failed)
-- grain:     one row per source and date
-- keys:      source, partition_date
-- partition: partition_date
-- sources:   ops.data_quality_checks
insert into ops.curated_pending as pending (source, partition_date, run_id)
select
    %(source)s,
    %(partition_date)s,
    %(run_id)s
where
    %(rows_written)s > 0
    or exists (
        select 1
        from ops.data_quality_checks as result
        where
            result.check_result_id = any(%(check_result_ids)s::bigint[])
            and result.severity = 'error'
            and (
                not result.passed
                or coalesce((
                    select not earlier.passed
                    from ops.data_quality_checks as earlier
                    where
                        earlier.source = result.source
                        and earlier.partition_key = result.partition_key
                        and earlier.check_name = result.check_name
                        and (earlier.checked_at, earlier.check_result_id)
                        < (result.checked_at, result.check_result_id)
                    order by earlier.checked_at desc, earlier.check_result_id desc
                    limit 1
                ), false)
            )
    )
on conflict (source, partition_date) do update set
    version = nextval('ops.curated_pending_version'),
    run_id = excluded.run_id,
    marked_at = now()
