-- purpose:   every schedule: cron, mode, parameters, enabled, last and next fire time,
--            the error of its last firing when it failed
-- grain:     one row per schedule
-- keys:      schedule_name
-- partition: none
-- sources:   ops.schedules
select
    schedule_name,
    source,
    cron,
    mode,
    params::text as params,
    is_enabled,
    last_fired_at,
    next_fire_at,
    last_run_id,
    last_error
from ops.schedules
order by schedule_name
