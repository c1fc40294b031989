-- purpose:   the names of the enabled schedules that are due (or have no next fire time
--            yet); each is then claimed in a transaction of its own (schedule_claim)
-- grain:     one row per schedule
-- keys:      schedule_name
-- partition: none
-- sources:   ops.schedules
select schedule_name
from ops.schedules
where is_enabled and (next_fire_at is null or next_fire_at <= %(now)s)
order by schedule_name
