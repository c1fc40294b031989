-- purpose:   claim one due schedule for this transaction; a row another tick holds, or
--            that another tick has fired meanwhile, gives no row, so a firing is claimed once
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
    next_fire_at,
    consecutive_failures
from ops.schedules
where
    schedule_name = %(schedule_name)s
    and is_enabled
    and (next_fire_at is null or next_fire_at <= %(now)s)
for update skip locked
