"""The HTTP side of extraction: async httpx with bounded concurrency, a shared rate limit,
a shared circuit breaker, and retries.

Transient failures (connection errors, timeouts, 429, 5xx, a body that is not JSON or that
PostgreSQL could not store as JSONB: NUL characters, nesting deeper than a limit, more bytes
than a limit) are retried with exponential backoff and jitter (tenacity), waiting at least what a
`Retry-After` header asks; the retry budget of a request is a number of attempts and a
total delay. What still fails, and any other 4xx, is an item failure the caller records
as a dead letter. While the source's breaker is open no request goes out: the caller gets
SourceUnavailable and its job retries after the cool-down. Concurrent fetches of the same
request key in one process share one request.

Each request has a total deadline (connect, headers and body together), enforced however
slowly the bytes arrive: httpx's timeout is per read, so a server trickling a byte every
few seconds would otherwise hold a job forever.
"""

from __future__ import annotations

import asyncio
import re
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
)

from pipeline.bodies import BodyLimits, json_depth_problem, parse_json, storable_at_a_glance
from pipeline.breaker import CircuitBreaker, SourceUnavailable
from pipeline.errors import ItemFailed, PipelineError
from pipeline.ratelimit import RateLimiter

log = logging.getLogger(__name__)

__all__ = ["ApiRequest", "ApiResponse", "BadBody", "BodyLimits", "FetchResult", "Fetcher", "SourceUnavailable",
           "TransientError"]


@dataclass(frozen=True)
class ApiRequest:
    """One GET against a source; `endpoint` names the raw table it lands in."""

    endpoint: str
    path: str
    partition_date: date
    params: tuple[tuple[str, str], ...] = ()
    path_params: tuple[tuple[str, str | int], ...] = ()
    # Extra request headers (If-None-Match / If-Modified-Since): not part of the key.
    headers: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def key(self) -> str:
        """Canonical URL of the request (sorted query), the raw tables' request key."""
        query = urlencode(sorted(self.params))
        return f"{self.path}?{query}" if query else self.path

    @property
    def request_params(self) -> dict:
        return {**dict(self.path_params), **dict(self.params)}


@dataclass
class ApiResponse:
    request: ApiRequest
    status: int
    body: bytes
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    # already landed since the run started (by a retry's earlier attempt or another job):
    # nothing was fetched and there is nothing to land
    from_cache: bool = False


@dataclass
class RequestTally:
    """Requests sent on behalf of one job (the Fetcher is shared by a worker's jobs)."""

    requests: int = 0


class TransientError(Exception):
    """Worth retrying: the same request may succeed in a moment."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class BadBody(TransientError):
    """An answer that cannot be stored as JSONB (too large, too deep, NUL characters, not
    JSON): retried like any transient failure, then a dead letter; the rest of the date lands."""


@dataclass
class FetchResult:
    responses: list[ApiResponse] = field(default_factory=list)
    failures: list[tuple[ApiRequest, Exception]] = field(default_factory=list)


NOT_MODIFIED = 304  # a conditional GET whose validators still match: the landed version stands


@dataclass(frozen=True)
class RetryPolicy:
    """The retry budget of one request."""

    max_attempts: int = 4
    max_delay_seconds: float = 60.0
    backoff_seconds: float = 0.2
    max_backoff_seconds: float = 5.0
    max_retry_after_seconds: float = 30.0


def retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
    except (TypeError, ValueError):
        return None


class wait_backoff_or_retry_after:  # noqa: N801 - named like tenacity's own wait strategies
    """Exponential backoff with jitter, but never less than the server's Retry-After."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy
        self.backoff = wait_exponential_jitter(multiplier=policy.backoff_seconds, max=policy.max_backoff_seconds)

    def __call__(self, retry_state: RetryCallState) -> float:
        wait = self.backoff(retry_state)
        error = retry_state.outcome.exception() if retry_state.outcome else None
        asked = getattr(error, "retry_after", None)
        if asked is not None:
            wait = max(wait, min(asked, self.policy.max_retry_after_seconds))
        return wait


def _check(response: httpx.Response, body: bytes, request: ApiRequest, limits: BodyLimits) -> None:
    if response.status_code == NOT_MODIFIED and request.headers:
        return
    if response.status_code == 429 or response.status_code >= 500:
        raise TransientError(f"HTTP {response.status_code} for {request.key}",
                             retry_after_seconds(response.headers.get("retry-after")))
    if response.status_code >= 400:
        raise ItemFailed(f"HTTP {response.status_code} for {request.key}")
    if storable_at_a_glance(body, limits.max_depth):
        return
    try:
        document = parse_json(body)
    except ValueError as exc:
        raise BadBody(f"response for {request.key} is not JSON: {exc}") from None
    except RecursionError:
        raise BadBody(f"response for {request.key} is nested too deep to parse") from None
    if not isinstance(document, dict):
        raise ItemFailed(f"response for {request.key} is JSON but not an object")
    problem = json_depth_problem(document, limits.max_depth, look_for_nul=b"\\u0000" in body)
    if problem:
        raise BadBody(f"response for {request.key} cannot be stored as JSONB: {problem}")


async def _read_body(response: httpx.Response, request: ApiRequest, limits: BodyLimits) -> bytes:
    """The (decoded) body, refused as soon as it passes the size limit."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise BadBody(f"response for {request.key} is {int(declared)} bytes, over the limit of {limits.max_bytes}")
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limits.max_bytes:
            raise BadBody(f"response for {request.key} is over the limit of {limits.max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


class Fetcher:
    """Shares one httpx client, one concurrency limit and the source's rate limiter and
    breaker between the jobs of a worker."""

    def __init__(
        self,
        base_url: str,
        *,
        concurrency: int = 8,
        timeout: float = 30.0,
        max_attempts: int = 4,
        transport: httpx.AsyncBaseTransport | None = None,
        limiter: RateLimiter | None = None,
        breaker: CircuitBreaker | None = None,
        retry: RetryPolicy | None = None,
        deadline: float = 60.0,
        limits: BodyLimits | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.deadline = deadline
        self.limits = limits or BodyLimits()
        self.retry = retry or RetryPolicy(max_attempts=max_attempts)
        self.max_attempts = self.retry.max_attempts
        self.limiter = limiter
        self.breaker = breaker
        self._limit = asyncio.Semaphore(concurrency)
        self._inflight: dict[str, asyncio.Future] = {}
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport,
            headers={"User-Agent": "sports-pipeline/0.1", "Accept": "application/json"},
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _get_once(self, request: ApiRequest, tally: RequestTally | None) -> ApiResponse:
        async with self._limit:
            # the breaker first: while it is open, not even a token is spent
            if self.breaker is not None:
                await self.breaker.admit()
            if self.limiter is not None:
                await self.limiter.acquire()
            if tally is not None:
                tally.requests += 1
            try:
                async with asyncio.timeout(self.deadline):
                    async with self._client.stream("GET", request.path, params=list(request.params),
                                                   headers=dict(request.headers) or None) as response:
                        body = await _read_body(response, request, self.limits)
            except (httpx.TransportError, TimeoutError) as exc:
                reason = f"no complete answer within {self.deadline:g} s" if isinstance(exc, TimeoutError) else exc
                error = TransientError(f"{type(exc).__name__} for {self.base_url}{request.key}: {reason}")
                await self._record(False, str(error))
                raise error from exc
        # a server that answers is up, whatever it says, except when it says it is not
        # (5xx); a 429 only says we are too fast, and a bad body is the response's fault
        if response.status_code >= 500:
            await self._record(False, f"HTTP {response.status_code} for {request.key}")
        elif response.status_code != 429:
            await self._record(True)
        _check(response, body, request, self.limits)
        return ApiResponse(
            request=request,
            status=response.status_code,
            body=body,
            fetched_at=datetime.now(timezone.utc),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )

    async def _record(self, succeeded: bool, error: str | None = None) -> None:
        if self.breaker is not None:
            await self.breaker.record(succeeded, error)

    async def _fetch_with_retries(self, request: ApiRequest, tally: RequestTally | None) -> ApiResponse:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.retry.max_attempts) | stop_after_delay(self.retry.max_delay_seconds),
            wait=wait_backoff_or_retry_after(self.retry),
            retry=retry_if_exception_type(TransientError),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                return await self._get_once(request, tally)
        raise AssertionError("unreachable: tenacity reraises the last error")

    async def fetch(self, request: ApiRequest, tally: RequestTally | None = None) -> ApiResponse:
        """GET with retries; raises TransientError when every attempt failed, ItemFailed
        at once for a permanent failure, SourceUnavailable while the breaker is open.
        A caller that joins a request already in flight adds nothing to its tally."""
        pending = self._inflight.get(request.key)
        if pending is None:
            pending = asyncio.ensure_future(self._fetch_with_retries(request, tally))
            self._inflight[request.key] = pending
            pending.add_done_callback(lambda _: self._inflight.pop(request.key, None))
        return await asyncio.shield(pending)

    async def fetch_many(self, requests: list[ApiRequest], tally: RequestTally | None = None) -> FetchResult:
        """All requests concurrently (within the limit); failures are returned, not raised."""
        outcomes = await asyncio.gather(*(self.fetch(r, tally) for r in requests), return_exceptions=True)
        result = FetchResult()
        for request, outcome in zip(requests, outcomes):
            if isinstance(outcome, ApiResponse):
                result.responses.append(outcome)
            elif isinstance(outcome, (ItemFailed, TransientError, SourceUnavailable)):
                result.failures.append((request, outcome))
            else:
                raise outcome
        return result


def public_url(url: str) -> str:
    """`url` without a user:password part, and without a trailing slash: what runs, jobs
    and logs may record."""
    return re.sub(r"//[^/@]*@", "//", url).rstrip("/")


def base_url_of(source, settings) -> str:
    """The base URL `source` is configured with (PIPELINE_<SOURCE>_BASE_URL, pipeline.toml)."""
    return str(settings.source_setting(source.name, "base_url", source.default_base_url)).rstrip("/")


def request_limits(source, settings) -> tuple[float, BodyLimits]:
    """The total deadline of a request (PIPELINE_<SOURCE>_REQUEST_DEADLINE, seconds) and the
    body limits (_MAX_BODY_MB, _MAX_DEPTH); a bad value is one clear error naming it."""
    values = {}
    for key, default, kind, low, high in (("request_deadline", 60.0, float, 0.1, 3600.0),
                                          ("max_body_mb", 20.0, float, 0.001, 1024.0),
                                          ("max_depth", 100, int, 2, 10_000)):
        raw = settings.source_setting(source.name, key, default)
        name = f"PIPELINE_{source.name.upper()}_{key.upper()}"
        try:
            value = kind(raw)
        except (TypeError, ValueError):
            raise PipelineError(f"{name}={raw!r} is not a number") from None
        if not low <= value <= high:
            raise PipelineError(f"{name}={raw!r} is out of range ({low:g} to {high:g})")
        values[key] = value
    return values["request_deadline"], BodyLimits(int(values["max_body_mb"] * 1024 * 1024), values["max_depth"])


def fetcher_for(source, settings, state, transport: httpx.AsyncBaseTransport | None = None,
                base_url: str | None = None) -> Fetcher:
    """The Fetcher of `source` as configured (PIPELINE_<SOURCE>_* or pipeline.toml
    [sources.<name>]): base URL (unless the run pinned one), timeout, total deadline, body
    limits, retry budget, rate limit, breaker. A rate limit or breaker threshold of 0 turns
    that part off."""

    def setting(key: str, default) -> str:
        return str(settings.source_setting(source.name, key, default))

    rate = float(setting("rate_limit", source.rate_limit))
    threshold = int(setting("breaker_threshold", 5))
    deadline, limits = request_limits(source, settings)
    return Fetcher(
        base_url or base_url_of(source, settings),
        concurrency=source.concurrency,
        timeout=float(setting("timeout", 30.0)),
        deadline=deadline,
        limits=limits,
        transport=transport,
        limiter=RateLimiter(state, source.name, rate, float(setting("rate_burst", source.rate_burst)))
        if rate > 0 else None,
        breaker=CircuitBreaker(state, source.name, threshold, float(setting("breaker_cooldown", 10.0)))
        if threshold > 0 else None,
        retry=RetryPolicy(max_attempts=int(setting("max_attempts", 4))),
    )
