-- purpose:   store on the run how many partitions it planned and skipped
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.run_partitions
update ops.pipeline_runs as run
set
    partitions_planned = counts.planned,
    partitions_skipped = counts.skipped
from (
    select
        count(*) as planned,
        count(*) filter (where is_skipped) as skipped
    from ops.run_partitions
    where run_id = %(run_id)s
) as counts
where run.run_id = %(run_id)s
