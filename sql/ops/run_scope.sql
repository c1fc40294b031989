-- purpose:   the dates and seasons a run worked on (not skipped), for the curated refresh;
--            dates blocked by a failed error quality check are left out
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.run_partitions, ops.quality_blocked_partitions
select
    coalesce(array_agg(distinct planned.partition_key order by planned.partition_key)
        filter (where planned.endpoint = 'games' and blocked.partition_key is null), '{}') as dates,
    coalesce(array_agg(distinct extract(year from planned.partition_key)::integer), '{}') as seasons
from ops.run_partitions as planned
left join ops.quality_blocked_partitions as blocked
    on planned.source = blocked.source and planned.partition_key = blocked.partition_key
where planned.run_id = %(run_id)s and not planned.is_skipped
