-- purpose:   create a schedule (disabled until enabled); refuses an existing name
-- grain:     one row per schedule
-- keys:      schedule_name
-- partition: none
-- sources:   none
insert into ops.schedules (schedule_name, source, cron, mode, params)
values (%(schedule_name)s, %(source)s, %(cron)s, %(mode)s, %(params)s)
on conflict (schedule_name) do nothing
returning schedule_name
