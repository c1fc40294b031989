-- purpose:   checkpoints by source, endpoint and status, for the pipeline_partitions gauge
-- grain:     one row per source, endpoint and status
-- keys:      source, endpoint, status
-- partition: none
-- sources:   ops.pipeline_checkpoints
select
    source,
    endpoint,
    status,
    count(*) as partitions
from ops.pipeline_checkpoints
where endpoint <> 'watermark'
group by source, endpoint, status
