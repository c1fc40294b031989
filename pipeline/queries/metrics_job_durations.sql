-- purpose:   job durations per stage, counted by histogram bucket in one pass over the job
--            log: bucket i holds the jobs longer than bound i-1 and at most bound i (i = 0:
--            at most the first bound; i = number of bounds: longer than the last)
-- grain:     one row per stage and non-empty bucket
-- keys:      stage, bucket
-- partition: none
-- sources:   ops.job_log
with durations as (
    select
        stage,
        extract(epoch from finished_at - started_at)::double precision as seconds
    from ops.job_log
)

select
    stage,
    -- the number of bounds below the duration: the index of the first bound it fits under
    cardinality(%(bounds)s::double precision[]) - width_bucket(
        -seconds, array(select -bound from unnest(%(bounds)s::double precision[]) as bound order by bound desc)
    ) as bucket,
    count(*) as jobs
from durations
group by stage, bucket
