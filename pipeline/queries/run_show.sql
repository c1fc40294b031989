-- purpose:   one run's record: source, mode, parameters, status, quality status, times,
--            and the dates and seasons its aggregate recomputed
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.pipeline_runs
select
    run_id,
    source,
    mode,
    params,
    status,
    quality_status,
    started_at,
    finished_at,
    extract(epoch from coalesce(finished_at, now()) - started_at)::numeric(12, 1) as seconds,
    partitions_planned,
    partitions_skipped,
    message,
    curated_dates,
    curated_seasons
from ops.pipeline_runs
where run_id = %(run_id)s
