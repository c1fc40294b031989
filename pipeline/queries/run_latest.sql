-- purpose:   the id of the most recent run
-- grain:     one row
-- keys:      run_id
-- partition: none
-- sources:   ops.pipeline_runs
select max(run_id) from ops.pipeline_runs
