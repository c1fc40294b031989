-- purpose:   job durations as cumulative histogram buckets per stage (le = upper bound, s)
-- grain:     one row per stage and bucket bound
-- keys:      stage, le
-- partition: none
-- sources:   ops.job_log
with durations as (
    select
        stage,
        extract(epoch from finished_at - started_at) as seconds
    from ops.job_log
),

bounds as (
    select unnest(%(bounds)s::double precision []) as le
)

select
    stages.stage,
    bounds.le,
    count(durations.seconds) filter (where durations.seconds <= bounds.le) as jobs
from (select distinct stage from durations) as stages
cross join bounds
left join durations on stages.stage = durations.stage
group by stages.stage, bounds.le
order by stages.stage, bounds.le
