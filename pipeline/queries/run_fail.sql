-- purpose:   close a run as failed when its own step (the aggregate) gave up for good
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.pipeline_runs
update ops.pipeline_runs
set
    status = 'failed',
    finished_at = now(),
    message = %(message)s
where run_id = %(run_id)s and status = 'running'
