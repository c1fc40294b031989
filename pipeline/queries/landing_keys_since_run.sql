-- purpose:   the request keys of a partition already landed (or seen again) since the
--            run started, by this run or a concurrent one: a retry or a second job need
--            not fetch them again
-- grain:     one row per request key
-- keys:      request_key
-- partition: partition_date
-- sources:   raw.{{ table }}, ops.pipeline_runs
-- params:    table = mlb_boxscore
select distinct landed.request_key
from raw.{{ table | ident }} as landed
inner join ops.pipeline_runs as run on run.run_id = %(run_id)s
where
    landed.partition_date = %(partition_date)s
    and landed.request_key = any(%(request_keys)s::text[])
    and landed.last_seen_at >= run.started_at
