-- purpose:   whether a run is still running: its aggregate does nothing once the run is
--            closed (a second aggregate of a run, queued by a partition that ended while
--            the first one ran, takes the same lock and so starts after that one closed it)
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.pipeline_runs
select status = 'running' as is_open
from ops.pipeline_runs
where run_id = %(run_id)s
