-- purpose:   take one token from a source's bucket, atomically for every worker: refill
--            it for the time since the last take (up to the burst), take the token even
--            when it is not there yet, and say how long to wait until it is due
-- grain:     one row per source
-- keys:      source
-- partition: none
-- sources:   ops.rate_limits
with clock as (
    select clock_timestamp() as now_at
)

update ops.rate_limits as bucket
set
    tokens = least(
        bucket.burst,
        bucket.tokens + bucket.rate_per_second * extract(epoch from clock.now_at - bucket.refilled_at)
    ) - 1,
    refilled_at = clock.now_at
from clock
where bucket.source = %(source)s
returning greatest(0, -bucket.tokens / bucket.rate_per_second) as wait_seconds
