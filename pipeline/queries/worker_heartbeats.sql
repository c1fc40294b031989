-- purpose:   the procrastinate workers alive now (a heartbeat in the last 15 seconds) and
--            the age of the freshest heartbeat
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   procrastinate_workers
select
    count(*) filter (where last_heartbeat > now() - interval '15 seconds') as live_workers,
    extract(epoch from now() - max(last_heartbeat))::numeric(12, 1) as last_heartbeat_seconds
from procrastinate_workers
