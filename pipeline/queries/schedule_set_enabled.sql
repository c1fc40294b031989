-- purpose:   enable a schedule (with its next fire time) or disable it
-- grain:     one row per schedule
-- keys:      schedule_name
-- partition: none
-- sources:   ops.schedules
update ops.schedules
set
    is_enabled = %(is_enabled)s,
    next_fire_at = %(next_fire_at)s,
    updated_at = now()
where schedule_name = %(schedule_name)s
returning schedule_name, cron
