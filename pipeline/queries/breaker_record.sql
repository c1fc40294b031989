-- purpose:   record the outcome of a request in the source's breaker: a success closes
--            it; a failure counts, and opens it at the threshold or when a probe fails.
--            Nothing is written for a success while the breaker is already closed and clean
-- grain:     one row per source
-- keys:      source
-- partition: none
-- sources:   ops.circuit_breakers
update ops.circuit_breakers as breaker
set
    state = case
        when %(succeeded)s then 'closed'
        when breaker.state = 'half_open' then 'open'
        when breaker.state = 'closed'
            and breaker.consecutive_failures + 1 >= breaker.failure_threshold then 'open'
        else breaker.state
    end,
    opened_at = case
        when %(succeeded)s then breaker.opened_at
        when breaker.state = 'half_open'
            or (breaker.state = 'closed' and breaker.consecutive_failures + 1 >= breaker.failure_threshold)
            then clock_timestamp()
        else breaker.opened_at
    end,
    times_opened = breaker.times_opened + case
        when not %(succeeded)s
            and (breaker.state = 'half_open'
                or (breaker.state = 'closed' and breaker.consecutive_failures + 1 >= breaker.failure_threshold))
            then 1
        else 0
    end,
    consecutive_failures = case when %(succeeded)s then 0 else breaker.consecutive_failures + 1 end,
    probe_started_at = case when breaker.state = 'half_open' then null else breaker.probe_started_at end,
    last_error = coalesce(%(error)s, breaker.last_error),
    updated_at = clock_timestamp()
where
    breaker.source = %(source)s
    and (not %(succeeded)s or breaker.state <> 'closed' or breaker.consecutive_failures > 0)
returning breaker.state
