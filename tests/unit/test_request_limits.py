"""What one request may cost: a total deadline however slowly bytes arrive, a body size
limit checked while reading, and bodies PostgreSQL cannot store as JSONB (NUL characters,
nesting deeper than a limit) refused before landing, each retried and then a BadBody."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import date

import httpx
import pytest

from pipeline.errors import PipelineError
from pipeline.bodies import BodyLimits, json_depth_problem, parse_json
from pipeline.http import ApiRequest, BadBody, Fetcher, RetryPolicy, TransientError, request_limits
from pipeline.sources import mlb

REQUEST = ApiRequest("boxscore", "/api/v1/game/1/boxscore", date(2024, 4, 10))


def fetch(handler, *, deadline: float = 60.0, limits: BodyLimits | None = None) -> tuple[object, int, float]:
    calls = []

    def counting(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return handler(request)

    async def go():
        fetcher = Fetcher("http://bad.test", transport=httpx.MockTransport(counting), deadline=deadline,
                          limits=limits, retry=RetryPolicy(max_attempts=2, backoff_seconds=0.001,
                                                           max_backoff_seconds=0.002))
        started = time.monotonic()
        try:
            return await fetcher.fetch(REQUEST), len(calls), time.monotonic() - started
        except Exception as exc:  # noqa: BLE001 - the test inspects what was raised
            return exc, len(calls), time.monotonic() - started
        finally:
            await fetcher.aclose()

    return asyncio.run(go())


def test_nesting_and_nul_characters_are_found_without_recursion():
    deep: list = []
    node = deep
    for _ in range(50_000):  # far deeper than Python's recursion limit
        node.append([])
        node = node[0]
    assert json_depth_problem({"a": deep}, 100) == "nested deeper than 100 levels"
    assert json_depth_problem({"a": {"b": "Bad\u0000Sox"}}, 100) == "a NUL character (\\u0000) in a string"
    assert json_depth_problem({"a\u0000": 1}, 100) == "a NUL character (\\u0000) in a key"
    assert json_depth_problem({"teams": [{"id": 1, "name": "Sox"}]}, 100) is None


def test_a_number_orjson_refuses_is_still_json():
    assert parse_json(b'{"a": 1e400}') == {"a": float("inf")}, "jsonb stores it as numeric: not a bad body"
    with pytest.raises(ValueError):
        parse_json(b'{"a": [1, 2}')


@pytest.mark.parametrize("body,reason", [
    (b'{"name": "Bad\\u0000Sox"}', "NUL character"),
    (b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}", "nested"),
    (b'{"a": ' + b"[" * 150 + b"]" * 150 + b"}", "nested deeper than 100 levels"),
    (b'{"pad": "' + b"x" * 2_000_000 + b'"}', "over the limit"),
])
def test_a_body_that_cannot_be_stored_is_retried_then_a_bad_body(body, reason):
    outcome, calls, _ = fetch(lambda request: httpx.Response(200, content=body),
                              limits=BodyLimits(max_bytes=1_000_000, max_depth=100))
    assert isinstance(outcome, BadBody) and reason in str(outcome), outcome
    assert calls == 2, "retried like any transient failure"


def test_the_size_limit_holds_without_a_content_length():
    async def stream():
        for _ in range(100):
            yield b"x" * 100_000

    outcome, _, _ = fetch(lambda request: httpx.Response(200, content=stream()), limits=BodyLimits(max_bytes=1_000_000))
    assert isinstance(outcome, BadBody) and "over the limit of 1000000 bytes" in str(outcome)


def test_a_trickling_answer_meets_the_total_deadline():
    async def trickle():
        yield b'{"a": '
        for _ in range(1000):
            await asyncio.sleep(0.05)  # each read is quick: a per-read timeout never fires
            yield b" "
        yield b"1}"

    outcome, calls, elapsed = fetch(lambda request: httpx.Response(200, content=trickle()), deadline=0.3)
    assert isinstance(outcome, TransientError) and "no complete answer within 0.3 s" in str(outcome), outcome
    assert calls == 2 and elapsed < 3


@dataclass
class FakeSettings:
    values: dict = field(default_factory=dict)

    def source_setting(self, source: str, key: str, default=None):
        return self.values.get(key, default)


@pytest.mark.parametrize("key,value", [("request_deadline", "soon"), ("request_deadline", "0"),
                                       ("max_body_mb", "-1"), ("max_depth", "1"), ("max_depth", "1.5")])
def test_a_bad_limit_setting_is_one_error_naming_it(key, value):
    with pytest.raises(PipelineError, match=f"PIPELINE_MLB_{key.upper()}={value!r}"):
        request_limits(mlb.SOURCE, FakeSettings({key: value}))


def test_the_default_limits():
    deadline, limits = request_limits(mlb.SOURCE, FakeSettings())
    assert deadline == 60.0 and limits == BodyLimits(20 * 1024 * 1024, 100)
