-- purpose:   the latest result of each quality check per partition, counted per check:
--            partitions passing and failing now
-- grain:     one row per source, check and severity
-- keys:      source, check_name, severity
-- partition: none
-- sources:   ops.data_quality_checks
with latest as (
    select distinct on (source, partition_key, check_name)
        source,
        partition_key,
        check_name,
        severity,
        passed
    from ops.data_quality_checks
    order by source asc, partition_key asc, check_name asc, checked_at desc, check_result_id desc
)

select
    source,
    check_name,
    severity,
    count(*) filter (where passed) as partitions_passing,
    count(*) filter (where not passed) as partitions_failing
from latest
group by source, check_name, severity
