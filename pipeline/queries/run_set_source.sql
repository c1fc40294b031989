-- purpose:   record the source a run reads: its base URL and, for the simulator, its seed
--            and season
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.pipeline_runs
update ops.pipeline_runs
set
    source_url = %(source_url)s,
    source_identity = %(source_identity)s
where run_id = %(run_id)s
