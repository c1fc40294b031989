-- purpose:   each quality check's latest results: partitions checked and failing over the
--            newest result per partition, rows failing, when it last ran
-- grain:     one row per source and check
-- keys:      source, check_name
-- partition: none
-- sources:   ops.data_quality_checks
with latest as (
    select distinct on (source, check_name, partition_key)
        source,
        check_name,
        severity,
        passed,
        rows_failing,
        checked_at
    from ops.data_quality_checks
    order by source asc, check_name asc, partition_key asc, checked_at desc, check_result_id desc
)

select
    source,
    check_name,
    severity,
    count(*) as partitions,
    count(*) filter (where not passed) as partitions_failing,
    sum(rows_failing) as rows_failing,
    max(checked_at) as last_checked_at
from latest
group by source, check_name, severity
order by source, check_name
