-- purpose:   how many staging rows a run's transform jobs wrote: a bulk load (many rows)
--            leaves planner statistics stale until the tables are analyzed
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.job_log
select coalesce(sum(rows_written), 0)::bigint as rows_staged
from ops.job_log
where run_id = %(run_id)s and stage = 'transform' and status = 'succeeded'
