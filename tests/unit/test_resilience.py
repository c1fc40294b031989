"""Resilience without a database: deterministic simulator faults, Retry-After, the job
retry strategy, and fetch retries through the in-process transport."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from types import SimpleNamespace

import httpx
import pytest
from tenacity import RetryCallState

from pipeline.breaker import SourceUnavailable
from pipeline.errors import ItemFailed
from pipeline.http import ApiRequest, Fetcher, RequestTally, RetryPolicy, TransientError, retry_after_seconds, \
    wait_backoff_or_retry_after
from pipeline.jobs.retry import JOB_ATTEMPTS, PipelineRetry
from pipeline.simulator.api import Simulator
from pipeline.simulator.faults import KINDS, FaultPlan, parse_outage
from pipeline.simulator.transport import SimulatorTransport

SCHEDULE = "/api/v1/schedule"


def decisions(plan: FaultPlan, requests: int = 400) -> list[str | None]:
    return [plan.decide(SCHEDULE, {"sportId": "1", "date": f"2024-04-{1 + n % 28:02d}"}) for n in range(requests)]


def test_faults_are_deterministic_from_the_seed_and_near_the_rate():
    first, again = decisions(FaultPlan(rate=0.1, seed=5)), decisions(FaultPlan(rate=0.1, seed=5))
    assert first == again, "same seed, same faults"
    assert first != decisions(FaultPlan(rate=0.1, seed=6)), "another seed, other faults"
    share = sum(kind is not None for kind in first) / len(first)
    assert 0.05 < share < 0.15
    assert set(first) - {None} <= set(KINDS)


def test_no_fault_plan_answers_exactly_as_before():
    plain, with_plan = Simulator(seed=1), Simulator(seed=1)
    with_plan.faults = FaultPlan(rate=0.0)
    query = {"sportId": "1", "date": "2024-04-10"}
    assert plain.handle("GET", SCHEDULE, query) == with_plan.handle("GET", SCHEDULE, query)
    assert "faults" not in json.loads(plain.handle("GET", "/__sim/stats", {})[2])


def test_outage_fails_every_request_in_its_window():
    plan = FaultPlan(outage=(0, 60))
    assert set(decisions(plan, 20)) == {"outage"}
    assert plan.counts() == {"outage": 20}
    assert parse_outage("2:6") == (2.0, 6.0)
    with pytest.raises(ValueError, match="END must come after START"):
        parse_outage("6:2")


def test_unknown_fault_kind_is_refused():
    with pytest.raises(ValueError, match="unknown fault kinds"):
        FaultPlan(kinds=("429", "gremlins"))


def test_retry_after_is_read_as_seconds_or_a_date():
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: go now
    assert retry_after_seconds("soon") is None


def test_backoff_waits_at_least_what_retry_after_asks_but_not_forever():
    policy = RetryPolicy(backoff_seconds=0.01, max_backoff_seconds=0.05, max_retry_after_seconds=10)
    wait = wait_backoff_or_retry_after(policy)

    def state(error: Exception) -> RetryCallState:
        retry_state = RetryCallState(None, None, (), {})
        retry_state.attempt_number = 1
        retry_state.set_exception((type(error), error, None))
        return retry_state

    assert wait(state(TransientError("429", retry_after=2))) == 2
    assert wait(state(TransientError("429", retry_after=3600))) == 10
    assert wait(state(TransientError("500"))) <= 0.05


def test_job_retries_sit_out_the_breaker_without_using_up_attempts():
    strategy = PipelineRetry()
    open_breaker = SourceUnavailable("mlb", 4.0)
    open_breaker.breaker_waits = 7
    assert 4.0 <= strategy.retry_in(open_breaker, attempts=7) <= 4.5, "retry when the cool-down ends"
    failure = RuntimeError("boom")
    failure.breaker_waits = 7
    assert strategy.retry_in(failure, attempts=7 + JOB_ATTEMPTS - 1) is not None
    assert strategy.retry_in(failure, attempts=7 + JOB_ATTEMPTS) is None, "then the failures' budget is spent"
    decision = strategy.get_retry_decision(exception=RuntimeError("x"), job=SimpleNamespace(attempts=0))
    assert decision is not None and decision.retry_at is not None


def fetch_with(plan: FaultPlan, path: str) -> tuple[object, int]:
    sim = Simulator(seed=1)
    sim.faults = plan

    async def go():
        fetcher = Fetcher("http://sim", transport=SimulatorTransport(sim),
                          retry=RetryPolicy(max_attempts=4, backoff_seconds=0.001, max_backoff_seconds=0.002,
                                            max_retry_after_seconds=0.01))
        request = ApiRequest("schedule", path, date(2024, 4, 10), (("sportId", "1"), ("date", "2024-04-10")))
        tally = RequestTally()
        try:
            return await fetcher.fetch(request, tally), tally.requests
        except Exception as exc:  # noqa: BLE001 - the test inspects what was raised
            return exc, tally.requests
        finally:
            await fetcher.aclose()

    return asyncio.run(go())


@pytest.mark.parametrize("kind", ["429", "500", "503", "timeout", "reset", "truncated", "malformed"])
def test_every_transient_fault_is_retried_until_the_budget_is_spent(kind):
    outcome, sent = fetch_with(FaultPlan(always={SCHEDULE: kind}), SCHEDULE)
    assert isinstance(outcome, TransientError), outcome
    assert sent == 4


def test_a_404_is_permanent_and_not_retried():
    outcome, sent = fetch_with(FaultPlan(always={SCHEDULE: "404"}), SCHEDULE)
    assert isinstance(outcome, ItemFailed) and sent == 1


def test_concurrent_fetches_of_one_key_make_one_request():
    counted = httpx.MockTransport(lambda request: httpx.Response(200, json={"ok": request.url.path}))
    calls = []

    class Counting(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request):
            calls.append(request.url.path)
            await asyncio.sleep(0.01)
            return await counted.handle_async_request(request)

    async def go():
        fetcher = Fetcher("http://sim", transport=Counting())
        request = ApiRequest("schedule", SCHEDULE, date(2024, 4, 10), (("date", "2024-04-10"),))
        results = await asyncio.gather(*(fetcher.fetch(request) for _ in range(5)))
        await fetcher.aclose()
        return results

    results = asyncio.run(go())
    assert len(calls) == 1 and len(results) == 5
