-- purpose:   may a request go to the source? Closed: yes (no row is written). Open: no,
--            until the cool-down ends; then one caller becomes the half-open probe and
--            the others wait for its verdict (a probe that never reports expires)
-- grain:     one row per source that is not closed
-- keys:      source
-- partition: none
-- sources:   ops.circuit_breakers
with clock as (
    select clock_timestamp() as now_at
),

decision as (
    select
        breaker.source,
        breaker.probe_started_at is null
        or breaker.probe_started_at
        < clock.now_at - make_interval(secs => breaker.cooldown_seconds) as probe_free,
        breaker.opened_at + make_interval(secs => breaker.cooldown_seconds) <= clock.now_at as cooled_down,
        clock.now_at
    from ops.circuit_breakers as breaker
    cross join clock
    where breaker.source = %(source)s and breaker.state <> 'closed'
    for update of breaker
)

update ops.circuit_breakers as breaker
set
    state = case when decision.cooled_down and decision.probe_free then 'half_open' else breaker.state end,
    probe_started_at = case
        when decision.cooled_down and decision.probe_free then decision.now_at
        else breaker.probe_started_at
    end,
    updated_at = decision.now_at
from decision
where breaker.source = decision.source
returning
    decision.cooled_down and decision.probe_free as is_probe,
    case
        when decision.cooled_down and decision.probe_free then 0
        when not decision.cooled_down then extract(
            epoch from breaker.opened_at + make_interval(secs => breaker.cooldown_seconds) - decision.now_at
        )
        -- a probe is in flight: ask again soon, its verdict is usually quick
        else least(breaker.cooldown_seconds, 1.0)
    end as wait_seconds,
    breaker.last_error
