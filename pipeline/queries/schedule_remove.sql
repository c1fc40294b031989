-- purpose:   delete a schedule
-- grain:     one row per schedule
-- keys:      schedule_name
-- partition: none
-- sources:   ops.schedules
delete from ops.schedules
where schedule_name = %(schedule_name)s
returning schedule_name
