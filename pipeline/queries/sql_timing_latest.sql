-- purpose:   how long each of the named SQL files took the last time a job ran it (its
--            total seconds in that job): the curated lanes take the longest groups first by it
-- grain:     one row per SQL file that has a recorded time
-- keys:      sql_name
-- partition: none
-- sources:   ops.sql_timings
select distinct on (timing.sql_name)
    timing.sql_name,
    timing.seconds
from ops.sql_timings as timing
where timing.sql_name = any(%(names)s::text[])
order by timing.sql_name asc, timing.recorded_at desc
