-- purpose:   claim the enabled schedules that are due (or have no next fire time yet);
--            rows another tick holds are skipped, so each firing is claimed once
-- grain:     one row per schedule
-- keys:      schedule_name
-- partition: none
-- sources:   ops.schedules
select
    schedule_name,
    source,
    cron,
    mode,
    params,
    next_fire_at
from ops.schedules
where is_enabled and (next_fire_at is null or next_fire_at <= %(now)s)
order by schedule_name
for update skip locked
