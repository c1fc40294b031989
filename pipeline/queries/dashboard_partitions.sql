-- purpose:   the calendar of the latest runs: each planned date's state now (done,
--            extracted, partial, failed, pending, or quality_blocked), worst over endpoints
-- grain:     one row per run and partition date
-- keys:      run_id, partition_key
-- partition: none
-- sources:   ops.pipeline_runs, ops.run_partitions, ops.pipeline_checkpoints, ops.quality_blocked_partitions
with recent_runs as (
    select run_id
    from ops.pipeline_runs
    order by run_id desc
    limit %(runs)s
),

planned as (
    select
        partitions.run_id,
        partitions.partition_key,
        case
            when blocked.partition_key is not null then 'quality_blocked'
            else coalesce(checkpoint.status, 'pending')
        end as state
    from ops.run_partitions as partitions
    inner join recent_runs on partitions.run_id = recent_runs.run_id
    left join ops.pipeline_checkpoints as checkpoint
        on
            partitions.source = checkpoint.source
            and partitions.endpoint = checkpoint.endpoint
            and partitions.partition_key = checkpoint.partition_key
    left join ops.quality_blocked_partitions as blocked
        on
            partitions.source = blocked.source
            and partitions.partition_key = blocked.partition_key
),

ranked as (
    select
        run_id,
        partition_key,
        state,
        array_position(
            array['failed', 'partial', 'quality_blocked', 'pending', 'extracted', 'done'], state
        ) as severity
    from planned
)

select distinct on (run_id, partition_key)
    run_id,
    partition_key,
    state
from ranked
order by run_id desc, partition_key, severity
