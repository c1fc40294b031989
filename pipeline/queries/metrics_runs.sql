-- purpose:   runs by source, mode and status, for the pipeline_runs gauge
-- grain:     one row per source, mode and status
-- keys:      source, mode, status
-- partition: none
-- sources:   ops.pipeline_runs
select
    source,
    mode,
    status,
    count(*) as runs
from ops.pipeline_runs
group by source, mode, status
