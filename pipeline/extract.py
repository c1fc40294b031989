"""What a source's extract step may do: fetch, land, run a SQL file, query. It counts
requests, bytes and versions for the job log and turns failed items into dead letters."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from psycopg.types.json import Jsonb

from pipeline import sqlfiles
from pipeline.http import NOT_MODIFIED, ApiRequest, ApiResponse, Fetcher, FetchResult
from pipeline.land import land_responses
from pipeline.sources import Partition

log = logging.getLogger(__name__)


@dataclass
class StepCounters:
    requests: int = 0
    bytes_landed: int = 0
    land_seconds: float = 0.0
    versions_added: int = 0
    rows_written: int = 0
    items_total: int = 0
    items_failed: int = 0
    versions_unchanged: int = 0


class ExtractContext:
    def __init__(self, conn, fetcher: Fetcher, partition: Partition, run_id: int, force: bool) -> None:
        self.conn = conn
        self.fetcher = fetcher
        self.partition = partition
        self.run_id = run_id
        self.force = force
        self.counters = StepCounters()

    async def fetch(self, request: ApiRequest) -> ApiResponse:
        """One request the partition cannot do without: failure fails the job."""
        return await self.fetcher.fetch(request, self.counters)

    async def land(self, responses: list[ApiResponse]) -> None:
        by_table: dict[str, list[ApiResponse]] = {}
        for response in responses:
            by_table.setdefault(f"{self.partition.source}_{response.request.endpoint}", []).append(response)
        for table, batch in by_table.items():
            started = time.perf_counter()
            result = await land_responses(self.conn, table, batch, self.run_id)
            self.counters.land_seconds += time.perf_counter() - started
            self.counters.bytes_landed += result.bytes_sent
            self.counters.versions_added += result.versions_added

    async def _mark_unchanged(self, responses: list[ApiResponse]) -> None:
        """A 304 lands nothing: the version it confirmed is marked as seen again."""
        by_table: dict[str, list[ApiResponse]] = {}
        for response in responses:
            by_table.setdefault(f"{self.partition.source}_{response.request.endpoint}", []).append(response)
        for table, batch in by_table.items():
            await sqlfiles.execute_async(self.conn, "ops/mark_unchanged", {
                "request_keys": [r.request.key for r in batch],
                "partition_dates": sorted({r.request.partition_date for r in batch}),
                "run_id": self.run_id,
            }, table=table)
        self.counters.versions_unchanged += len(responses)

    async def run_sql(self, name: str, params: dict) -> int:
        cursor = await sqlfiles.execute_async(self.conn, name, params)
        return cursor.rowcount

    async def query(self, name: str, params: dict) -> list[tuple]:
        cursor = await sqlfiles.execute_async(self.conn, name, params)
        return await cursor.fetchall()

    async def fetch_and_land(self, requests: list[ApiRequest]) -> None:
        """Items that can fail one by one: what succeeds lands, what fails becomes a
        dead letter and the partition ends 'partial' so a later run retries it."""
        result = await self.fetcher.fetch_many(requests, self.counters)
        await self.settle(requests, result)

    async def settle(self, requests: list[ApiRequest], result: FetchResult) -> None:
        """Land what `requests` fetched (a 304 lands nothing), record what failed."""
        self.counters.items_total += len(requests)
        self.counters.items_failed += len(result.failures)
        await self.land([r for r in result.responses if r.status != NOT_MODIFIED])
        await self._mark_unchanged([r for r in result.responses if r.status == NOT_MODIFIED])
        if result.responses:
            await sqlfiles.execute_async(self.conn, "ops/resolve_dead_letters", {
                "source": self.partition.source,
                "request_keys": [response.request.key for response in result.responses],
            })
        for request, error in result.failures:
            log.warning("item failed", extra={"request_key": request.key, "error": str(error)})
            await sqlfiles.execute_async(self.conn, "ops/record_dead_letter", {
                "run_id": self.run_id,
                "source": self.partition.source,
                "endpoint": request.endpoint,
                "partition_key": self.partition.key,
                "request_key": request.key,
                "request_params": Jsonb(request.request_params),
                "error_class": type(error).__name__,
                "error_message": str(error),
            })
