-- The latest result of each (source, date, check) that failed an error check, found from
-- the failures themselves: a failed error result is the latest when no result of the same
-- check and date came after it. The view used to sort every result ever recorded (DISTINCT
-- ON over ops.data_quality_checks) each time a job or a curated file asked whether a date
-- is blocked, a cost that grew with the history (three seasons: 15k results sorted per
-- question); now it reads the failures (a partial index) and probes the ledger's index
-- once per failure. Same rows as before.
create index data_quality_checks_failed_error_idx
    on ops.data_quality_checks (source, partition_key, check_name)
    where severity = 'error' and not passed;

create or replace view ops.quality_latest_failures as
select
    failed.check_result_id,
    failed.source,
    failed.partition_key,
    failed.check_name
from ops.data_quality_checks as failed
where
    failed.severity = 'error'
    and not failed.passed
    and not exists (
        select 1
        from ops.data_quality_checks as later
        where
            later.source = failed.source
            and later.partition_key = failed.partition_key
            and later.check_name = failed.check_name
            and (later.checked_at, later.check_result_id) > (failed.checked_at, failed.check_result_id)
    );
