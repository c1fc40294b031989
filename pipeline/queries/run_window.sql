-- purpose:   the first and last date of a run's window
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.pipeline_runs
select
    params ->> 'start' as start_date,
    params ->> 'end' as end_date
from ops.pipeline_runs
where run_id = %(run_id)s
