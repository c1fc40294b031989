-- purpose:   sources whose circuit breaker is open or probing, and since when
-- grain:     one row per source with a breaker not closed
-- keys:      source
-- partition: none
-- sources:   ops.circuit_breakers
select
    source,
    state,
    opened_at,
    last_error
from ops.circuit_breakers
where state <> 'closed'
order by source
