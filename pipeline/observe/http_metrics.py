"""Per-worker HTTP metrics: every request a worker sends, by source, endpoint (the path
with ids folded to `{id}`) and status, and how long the answer's headers took. These live
in the worker process (prometheus-client's default registry), because the job log keeps a
job's request count but not each request's status and duration; `pipeline worker
--metrics-port` serves them."""

from __future__ import annotations

import re
import time

import httpx
from prometheus_client import Counter, Histogram, start_http_server

REQUESTS = Counter("pipeline_http_requests", "HTTP requests this worker sent, by outcome.",
                   ["source", "endpoint", "status"])
DURATION = Histogram("pipeline_http_request_duration_seconds",
                     "Seconds from sending a request to its response headers (or its failure).",
                     ["source", "endpoint"], buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))

_ID = re.compile(r"/\d+(?=/|$)")


def endpoint_of(path: str) -> str:
    """`/api/v1.1/game/745123/feed/live` -> `/api/v1.1/game/{id}/feed/live`: few label values."""
    return _ID.sub("/{id}", path)


class MeasuredTransport(httpx.AsyncBaseTransport):
    """Wraps the transport a source's client uses and counts what passes through it."""

    def __init__(self, inner: httpx.AsyncBaseTransport, source: str) -> None:
        self.inner = inner
        self.source = source

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        endpoint = endpoint_of(request.url.path)
        started = time.perf_counter()
        try:
            response = await self.inner.handle_async_request(request)
        except Exception as exc:
            REQUESTS.labels(self.source, endpoint, type(exc).__name__).inc()
            DURATION.labels(self.source, endpoint).observe(time.perf_counter() - started)
            raise
        REQUESTS.labels(self.source, endpoint, str(response.status_code)).inc()
        DURATION.labels(self.source, endpoint).observe(time.perf_counter() - started)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def measured(transport: httpx.AsyncBaseTransport | None, source: str) -> MeasuredTransport:
    return MeasuredTransport(transport or httpx.AsyncHTTPTransport(), source)


def serve_worker_metrics(port: int, host: str = "127.0.0.1") -> int:
    """Serve this process's metrics (the default registry) on a thread; returns the port."""
    server, _ = start_http_server(port, addr=host)
    return server.server_address[1]
