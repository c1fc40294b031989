-- purpose:   workers whose heartbeat is recent, and the newest heartbeat's age in seconds
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   procrastinate_workers
select
    count(*) filter (
        where last_heartbeat > now() - make_interval(secs => %(within_seconds)s)
    ) as live_workers,
    extract(epoch from now() - max(last_heartbeat))::double precision as newest_heartbeat_age_seconds
from procrastinate_workers
