-- purpose:   every source's circuit breaker and token bucket, for `pipeline status`
-- grain:     one row per source
-- keys:      source
-- partition: none
-- sources:   ops.circuit_breakers, ops.rate_limits
select
    coalesce(breaker.source, bucket.source) as source,
    coalesce(breaker.state, 'closed') as breaker,
    breaker.consecutive_failures as failures,
    breaker.times_opened,
    breaker.opened_at,
    bucket.rate_per_second as rate_limit,
    bucket.burst,
    breaker.last_error
from ops.circuit_breakers as breaker
full outer join ops.rate_limits as bucket on breaker.source = bucket.source
order by 1
