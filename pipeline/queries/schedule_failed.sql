-- purpose:   record that a schedule failed to fire: its error, when, how many times in a
--            row, the failed run that says so, and the later time it is tried again
-- grain:     one row per schedule
-- keys:      schedule_name
-- partition: none
-- sources:   ops.schedules
update ops.schedules
set
    last_error = %(error)s,
    last_failed_at = now(),
    consecutive_failures = consecutive_failures + 1,
    next_fire_at = %(next_fire_at)s,
    last_run_id = coalesce(%(run_id)s, last_run_id)
where schedule_name = %(schedule_name)s
