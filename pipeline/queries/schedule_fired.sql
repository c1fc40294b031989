-- purpose:   record that a schedule fired (or was armed) and when it fires next
-- grain:     one row per schedule
-- keys:      schedule_name
-- partition: none
-- sources:   ops.schedules
update ops.schedules
set
    last_fired_at = coalesce(%(fired_at)s, last_fired_at),
    next_fire_at = %(next_fire_at)s,
    last_run_id = coalesce(%(run_id)s, last_run_id)
where schedule_name = %(schedule_name)s
