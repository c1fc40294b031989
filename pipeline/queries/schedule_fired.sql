-- purpose:   record that a schedule fired (or was armed) and when it fires next; a
--            firing clears the error a failing one left
-- grain:     one row per schedule
-- keys:      schedule_name
-- partition: none
-- sources:   ops.schedules
update ops.schedules
set
    last_fired_at = coalesce(%(fired_at)s, last_fired_at),
    next_fire_at = %(next_fire_at)s,
    last_run_id = coalesce(%(run_id)s, last_run_id),
    last_error = null,
    consecutive_failures = 0
where schedule_name = %(schedule_name)s
