"""The procrastinate App every task registers on, its queue and retry strategy, and the
Runtime a worker process passes its tasks (as procrastinate context)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

import httpx
import procrastinate
import psycopg
from psycopg_pool import AsyncConnectionPool

from pipeline.config import Settings
from pipeline.db import connect_async
from pipeline.http import Fetcher, base_url_of, fetcher_for, public_url
from pipeline.jobs.retry import PipelineRetry
from pipeline.observe.http_metrics import measured
from pipeline.shared_state import SharedConnection
from pipeline.sources import Source

app = procrastinate.App(connector=procrastinate.PsycopgConnector())

JOB_RETRY = PipelineRetry()
QUEUE = "pipeline"

# fires the schedules due at a time: supplied by the runs layer (which plans runs), so the
# periodic tick below it needs no upward import
FireSchedules = Callable[[str, datetime], Awaitable[list[int]]]


@dataclass
class Runtime:
    """What tasks share inside one worker process."""

    dsn: str
    settings: Settings
    transport: httpx.AsyncBaseTransport | None = None
    fire_schedules: FireSchedules | None = None
    _fetchers: dict[tuple[str, str | None], Fetcher] = field(default_factory=dict)
    _state: SharedConnection | None = None
    pool_size: int = 8  # connections jobs may hold at once: the worker's concurrency
    _pool: AsyncConnectionPool | None = None

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[psycopg.AsyncConnection]:
        """An autocommit connection for one job, from this worker's pool: a job no longer
        pays a new backend and its cold catalog caches (~80 ms, more than a whole
        transform's SQL). A connection that broke is dropped, one left in a transaction
        rolled back, when it is returned."""
        if self._pool is None:
            await (await connect_async(self.dsn)).close()  # one clear error when the server is unreachable
            pool = AsyncConnectionPool(self.dsn, min_size=0, max_size=self.pool_size, open=False, timeout=30,
                                       kwargs={"autocommit": True, "connect_timeout": 10},
                                       check=AsyncConnectionPool.check_connection)
            await pool.open()
            if self._pool is None:  # the first job to get here; others opened one meanwhile: close theirs
                self._pool = pool
            else:
                await pool.close()
        async with self._pool.connection() as conn:
            yield conn

    def fetcher(self, source: Source, base_url: str | None = None) -> Fetcher:
        """The source's Fetcher; `base_url`: the one the run was planned with, whatever
        this worker is configured with (None: the configured one). Runs record it without
        credentials: when it is this worker's configured server, the configured URL (with
        its user:password, if any) is used."""
        configured = base_url_of(source, self.settings)
        if base_url is not None and base_url == public_url(configured):
            base_url = configured
        key = (source.name, base_url)
        if key not in self._fetchers:
            # rate-limit and breaker statements share one connection per worker process
            self._state = self._state or SharedConnection(self.dsn)
            # every request is counted by status and timed for `pipeline worker --metrics-port`
            self._fetchers[key] = fetcher_for(source, self.settings, self._state,
                                              measured(self.transport, source.name), base_url)
        return self._fetchers[key]

    async def aclose(self) -> None:
        for fetcher in self._fetchers.values():
            await fetcher.aclose()
        self._fetchers.clear()
        if self._state is not None:
            await self._state.aclose()
            self._state = None
        if self._pool is not None:
            await self._pool.close()
            self._pool = None


def runtime_of(context: procrastinate.JobContext) -> Runtime:
    return context.additional_context["runtime"]
