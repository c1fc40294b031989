"""The state workers share, on a real PostgreSQL: the token bucket hands out tokens at the
configured rate to concurrent callers, and the circuit breaker opens, probes and closes."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from pipeline import queries
from pipeline.breaker import CircuitBreaker, SourceUnavailable
from pipeline.shared_state import SharedConnection


def test_concurrent_takes_are_spaced_at_the_rate_after_the_burst(dsn):
    rate, burst, callers = 10.0, 2.0, 20
    with psycopg.connect(dsn, autocommit=True) as conn:
        queries.execute(conn, "rate_limit_configure", {"source": "mlb", "rate_per_second": rate, "burst": burst})

    def due_at(_) -> float:
        """When the caller's token is due: now plus the wait the bucket gave it."""
        with psycopg.connect(dsn, autocommit=True) as conn:
            wait = float(queries.execute(conn, "rate_limit_take", {"source": "mlb"}).fetchone()[0])
            return time.monotonic() + wait

    with ThreadPoolExecutor(max_workers=5) as pool:
        due = sorted(pool.map(due_at, range(callers)))
    # the burst at once, then one token per 1/rate, whoever asks: within any second of
    # due times there are at most rate + burst tokens
    busiest = max(sum(1 for later in due if moment <= later < moment + 1) for moment in due)
    assert busiest <= rate + burst
    assert due[-1] - due[0] >= (callers - burst) / rate - 0.1, "the callers after the burst wait for their slots"


def test_the_breaker_opens_at_the_threshold_probes_after_the_cooldown_and_closes(dsn):
    async def scenario():
        state = SharedConnection(dsn)
        breaker = CircuitBreaker(state, "mlb", failure_threshold=3, cooldown_seconds=0.5)
        await breaker.admit()  # closed
        for _ in range(3):
            await breaker.record(False, "HTTP 503")
        with pytest.raises(SourceUnavailable) as refused:
            await breaker.admit()
        assert 0 < refused.value.wait_seconds <= 0.5
        await asyncio.sleep(0.55)
        await breaker.admit()  # this caller is the half-open probe
        with pytest.raises(SourceUnavailable):
            await breaker.admit()  # the others wait for its verdict
        await breaker.record(False, "HTTP 503")  # the probe failed: open again
        with pytest.raises(SourceUnavailable):
            await breaker.admit()
        await asyncio.sleep(0.55)
        await breaker.admit()
        await breaker.record(True)  # the probe succeeded
        await breaker.admit()
        rows = await state.fetch("breaker_states", {})
        await state.aclose()
        return rows

    (source, breaker_state, failures, times_opened, *_), = asyncio.run(scenario())
    assert (source, breaker_state, failures, times_opened) == ("mlb", "closed", 0, 2)
