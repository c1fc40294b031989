-- purpose:   record how long each SQL file took in one job (executions, total and longest)
-- grain:     one row per job and SQL file
-- keys:      sql_timing_id
-- partition: none
-- sources:   none
insert into ops.sql_timings (run_id, job_id, stage, sql_name, executions, seconds, max_seconds)
select
    %(run_id)s,
    %(job_id)s,
    %(stage)s,
    timing.sql_name,
    timing.executions,
    timing.seconds,
    timing.max_seconds
from unnest(
    %(names)s::text[], %(executions)s::integer[], %(seconds)s::double precision[],
    %(max_seconds)s::double precision[]
) as timing (sql_name, executions, seconds, max_seconds)
