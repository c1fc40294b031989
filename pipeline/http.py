"""The HTTP side of extraction: async httpx with bounded concurrency and retries.

Transient failures (connection errors, timeouts, 429, 5xx, a body that is not JSON) are
retried with exponential backoff and jitter (tenacity); what still fails, and any other
4xx, is an item failure the caller records as a dead letter.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from urllib.parse import urlencode

import httpx
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from pipeline.errors import ItemFailed

log = logging.getLogger(__name__)


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


@dataclass
class RequestTally:
    """Requests sent on behalf of one job (the Fetcher is shared by a worker's jobs)."""

    requests: int = 0


class TransientError(Exception):
    """Worth retrying: the same request may succeed in a moment."""


@dataclass
class FetchResult:
    responses: list[ApiResponse] = field(default_factory=list)
    failures: list[tuple[ApiRequest, Exception]] = field(default_factory=list)


NOT_MODIFIED = 304  # a conditional GET whose validators still match: the landed version stands


def _check(response: httpx.Response, request: ApiRequest) -> None:
    if response.status_code == NOT_MODIFIED and request.headers:
        return
    if response.status_code == 429 or response.status_code >= 500:
        raise TransientError(f"HTTP {response.status_code} for {request.key}")
    if response.status_code >= 400:
        raise ItemFailed(f"HTTP {response.status_code} for {request.key}")
    try:
        document = json.loads(response.content)
    except ValueError as exc:
        raise TransientError(f"response for {request.key} is not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise ItemFailed(f"response for {request.key} is JSON but not an object")


class Fetcher:
    """Shares one httpx client and one concurrency limit between the jobs of a worker."""

    def __init__(
        self,
        base_url: str,
        *,
        concurrency: int = 8,
        timeout: float = 30.0,
        max_attempts: int = 4,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.max_attempts = max_attempts
        self._limit = asyncio.Semaphore(concurrency)
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
            if tally is not None:
                tally.requests += 1
            try:
                response = await self._client.get(request.path, params=list(request.params),
                                                  headers=dict(request.headers) or None)
            except httpx.TransportError as exc:
                raise TransientError(f"{type(exc).__name__} for {self.base_url}{request.key}: {exc}") from exc
        _check(response, request)
        return ApiResponse(
            request=request,
            status=response.status_code,
            body=response.content,
            fetched_at=datetime.now(timezone.utc),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )

    async def fetch(self, request: ApiRequest, tally: RequestTally | None = None) -> ApiResponse:
        """GET with retries; raises TransientError when every attempt failed, ItemFailed
        at once for a permanent failure."""
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.max_attempts),
            wait=wait_exponential_jitter(multiplier=0.2, max=5.0),
            retry=retry_if_exception_type(TransientError),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                return await self._get_once(request, tally)
        raise AssertionError("unreachable: tenacity reraises the last error")

    async def fetch_many(self, requests: list[ApiRequest], tally: RequestTally | None = None) -> FetchResult:
        """All requests concurrently (within the limit); failures are returned, not raised."""
        outcomes = await asyncio.gather(*(self.fetch(r, tally) for r in requests), return_exceptions=True)
        result = FetchResult()
        for request, outcome in zip(requests, outcomes):
            if isinstance(outcome, ApiResponse):
                result.responses.append(outcome)
            elif isinstance(outcome, (ItemFailed, TransientError)):
                result.failures.append((request, outcome))
            else:
                raise outcome
        return result
