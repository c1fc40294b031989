-- purpose:   the calendar of the latest runs: each planned date's state now (done,
--            extracted, partial, failed, pending, or quality_blocked) of the run's daily
--            endpoint (the one with the most partitions; a season's teams is one cell elsewhere)
-- grain:     one row per run and partition date of its daily endpoint
-- keys:      run_id, partition_key
-- partition: none
-- sources:   ops.pipeline_runs, ops.run_partitions, ops.pipeline_checkpoints, ops.quality_blocked_partitions
with recent_runs as (
    select run_id
    from ops.pipeline_runs
    order by run_id desc
    limit %(runs)s
),

daily_endpoint as (
    select distinct on (partitions.run_id)
        partitions.run_id,
        partitions.endpoint
    from ops.run_partitions as partitions
    inner join recent_runs on partitions.run_id = recent_runs.run_id
    group by partitions.run_id, partitions.endpoint
    order by partitions.run_id asc, count(*) desc, partitions.endpoint asc
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
    inner join daily_endpoint
        on partitions.run_id = daily_endpoint.run_id and partitions.endpoint = daily_endpoint.endpoint
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

final as (
    select
        run_id,
        partition_key,
        state
    from planned
)

select
    run_id,
    partition_key,
    state
from final
order by run_id desc, partition_key asc
