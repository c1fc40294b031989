-- purpose:   open a run of a mode for a source
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   none
insert into ops.pipeline_runs (source, mode, params)
values (%(source)s, %(mode)s, %(params)s)
returning run_id
