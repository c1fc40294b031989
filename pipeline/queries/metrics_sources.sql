-- purpose:   each source's breaker state, failures and rate-limit tokens (refilled to now)
-- grain:     one row per source
-- keys:      source
-- partition: none
-- sources:   ops.circuit_breakers, ops.rate_limits
select
    coalesce(breaker.source, bucket.source) as source,
    coalesce(breaker.state, 'closed') as state,
    coalesce(breaker.consecutive_failures, 0) as consecutive_failures,
    coalesce(breaker.times_opened, 0) as times_opened,
    extract(epoch from breaker.opened_at)::double precision as opened_at,
    least(
        bucket.burst,
        bucket.tokens + bucket.rate_per_second * extract(epoch from clock_timestamp() - bucket.refilled_at)
    )::double precision as tokens
from ops.circuit_breakers as breaker
full outer join ops.rate_limits as bucket on breaker.source = bucket.source
