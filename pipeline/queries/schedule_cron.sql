-- purpose:   the cron expression of one schedule
-- grain:     one row per schedule
-- keys:      schedule_name
-- partition: none
-- sources:   ops.schedules
select cron
from ops.schedules
where schedule_name = %(schedule_name)s
