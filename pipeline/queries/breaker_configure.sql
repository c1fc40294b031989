-- purpose:   create a source's circuit breaker (closed), or change its threshold and cool-down
-- grain:     one row per source
-- keys:      source
-- partition: none
-- sources:   none
insert into ops.circuit_breakers as breaker (source, failure_threshold, cooldown_seconds)
values (%(source)s, %(failure_threshold)s, %(cooldown_seconds)s)
on conflict (source) do update set
    failure_threshold = excluded.failure_threshold,
    cooldown_seconds = excluded.cooldown_seconds
where
    breaker.failure_threshold is distinct from excluded.failure_threshold
    or breaker.cooldown_seconds is distinct from excluded.cooldown_seconds
