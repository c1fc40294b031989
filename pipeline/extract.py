"""What a source's extract step may do: fetch, land, run a SQL file, query. It counts
requests, bytes and versions for the job log and turns failed items into dead letters.

Every request that fails for good is a dead letter, whether the partition can do without
it (a box score: the rest lands, the partition ends partial) or not (a schedule, the
teams: the job fails, and the letter says which request). A body the server refuses to
store (a DataError in COPY) costs only its own item: the batch is landed again one by
one and the refused answer becomes a letter."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone

import psycopg
from psycopg.types.json import Jsonb

from pipeline import queries
from pipeline.errors import ItemFailed
from pipeline.http import NOT_MODIFIED, ApiRequest, ApiResponse, Fetcher, FetchResult, SourceUnavailable, TransientError
from pipeline.land import land_responses
from pipeline.partition import Partition
from pipeline.sqlfiles import SqlTree

log = logging.getLogger(__name__)

# what the server says of a body it cannot store as JSONB (a \u0000, nesting past its stack)
REFUSED = (psycopg.DataError, psycopg.errors.ProgramLimitExceeded, psycopg.errors.StatementTooComplex)


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
        # `fetcher` serves the base URL the run was planned with (see jobs.extract)
        self.conn = conn
        self.fetcher = fetcher
        self.partition = partition
        self.run_id = run_id
        self.force = force
        self.counters = StepCounters()

    async def landed_since_run_start(self, requests: list[ApiRequest]) -> set[str]:
        """Keys among `requests` landed since this run started (by an earlier attempt of
        this job, or a concurrent run): the response cache, kept in raw itself."""
        landed: set[str] = set()
        for endpoint, day in sorted({(request.endpoint, request.partition_date) for request in requests}):
            keys = [r.key for r in requests if (r.endpoint, r.partition_date) == (endpoint, day)]
            cursor = await queries.execute_async(self.conn, "landing_keys_since_run", {
                "run_id": self.run_id, "partition_date": day, "request_keys": keys,
            }, table=f"{self.partition.source}_{endpoint}")
            landed.update(row[0] for row in await cursor.fetchall())
        return landed

    async def fetch(self, request: ApiRequest, *, stands_for: list[ApiRequest] | None = None) -> ApiResponse:
        """One request the partition cannot do without: failure is a dead letter, and
        fails the job. `stands_for`: the requests whose data this one fetches at once (a
        window's schedule stands for each date's own): the letters are theirs, each under
        its own date, so a replay or retry of those dates resolves them."""
        if await self.landed_since_run_start([request]):
            return ApiResponse(request, 200, b"", datetime.now(timezone.utc), from_cache=True)
        try:
            return await self.fetcher.fetch(request, self.counters)
        except (ItemFailed, TransientError) as error:
            for each in stands_for or [request]:
                day = Partition(self.partition.source, self.partition.endpoint, each.partition_date)
                await self.for_partition(day).record_letter(each, error)
            raise

    async def land(self, responses: list[ApiResponse]) -> None:
        """Land responses the partition cannot do without: one the database refuses is a
        dead letter, and fails the job."""
        refused = await self.land_or_refuse(responses)
        for request, error in refused:
            await self.record_letter(request, error)
        if refused:
            raise ItemFailed(f"{refused[0][0].key} could not be stored: {refused[0][1]}")

    async def land_or_refuse(self, responses: list[ApiResponse]) -> list[tuple[ApiRequest, Exception]]:
        """COPY each table's batch; a batch the database refuses is landed again one by one,
        so only the refused answers are lost. Returns them with their errors. What lands
        resolves the open letters of its requests."""
        by_table: dict[str, list[ApiResponse]] = {}
        for response in (response for response in responses if not response.from_cache):
            by_table.setdefault(f"{self.partition.source}_{response.request.endpoint}", []).append(response)
        refused: list[tuple[ApiRequest, Exception]] = []
        for table, batch in by_table.items():
            try:
                await self._land_batch(table, batch)
                landed = batch
            except REFUSED:
                landed = []
                for response in batch:
                    try:
                        await self._land_batch(table, [response])
                        landed.append(response)
                    except REFUSED as exc:
                        log.warning("answer refused by the database", extra={"request_key": response.request.key,
                                                                             "error": str(exc)})
                        refused.append((response.request, ItemFailed(
                            f"response for {response.request.key} cannot be stored as JSONB: "
                            f"{str(exc).strip().splitlines()[0]}")))
            await self.resolve_letters([response.request.key for response in landed])
        return refused

    async def _land_batch(self, table: str, batch: list[ApiResponse]) -> None:
        started = time.perf_counter()
        result = await land_responses(self.conn, table, batch, self.run_id)
        self.counters.land_seconds += time.perf_counter() - started
        self.counters.bytes_landed += result.bytes_sent
        self.counters.versions_added += result.versions_added

    async def resolve_letters(self, request_keys: list[str]) -> None:
        """Close the open letters of requests that have now landed (or been confirmed by a
        304). A quarantined answer's letter is closed by the transform, once staging has a
        good version."""
        if request_keys:
            await queries.execute_async(self.conn, "dead_letter_resolve", {
                "source": self.partition.source, "request_keys": request_keys,
            })

    async def record_letter(self, request: ApiRequest, error: Exception) -> None:
        """A request that failed for good: a new open letter, or one more attempt of it."""
        log.warning("item failed", extra={"request_key": request.key, "error": str(error)})
        await queries.execute_async(self.conn, "dead_letter_record", {
            "run_id": self.run_id,
            "source": self.partition.source,
            "endpoint": request.endpoint,
            "partition_key": self.partition.key,
            "request_key": request.key,
            "request_params": Jsonb(request.request_params),
            "error_class": type(error).__name__,
            "error_message": str(error),
        })

    async def _mark_unchanged(self, responses: list[ApiResponse]) -> None:
        """A 304 lands nothing: the version it confirmed is marked as seen again."""
        by_table: dict[str, list[ApiResponse]] = {}
        for response in responses:
            by_table.setdefault(f"{self.partition.source}_{response.request.endpoint}", []).append(response)
        for table, batch in by_table.items():
            await queries.execute_async(self.conn, "landing_mark_unchanged", {
                "request_keys": [r.request.key for r in batch],
                "partition_dates": sorted({r.request.partition_date for r in batch}),
                "run_id": self.run_id,
            }, table=table)
        self.counters.versions_unchanged += len(responses)

    def for_partition(self, partition: Partition) -> ExtractContext:
        """A context of the same job for another partition (a window job's dates)."""
        return ExtractContext(self.conn, self.fetcher, partition, self.run_id, self.force)

    async def run_sql(self, tree: SqlTree, name: str, params: dict) -> int:
        """Run one of the source's SQL files (`tree` is its `sql` or its `queries`)."""
        cursor = await tree.execute_async(self.conn, name, params)
        return cursor.rowcount

    async def query(self, tree: SqlTree, name: str, params: dict, **structure) -> list[tuple]:
        cursor = await tree.execute_async(self.conn, name, params, **structure)
        return await cursor.fetchall()

    async def fetch_and_land(self, requests: list[ApiRequest]) -> None:
        """Items that can fail one by one: what succeeds lands, what fails becomes a
        dead letter and the partition ends 'partial' so a later run retries it."""
        await self.settle(requests, await self.fetch_many(requests))

    async def fetch_many(self, requests: list[ApiRequest]) -> FetchResult:
        """Fetch concurrently the requests not landed since the run started (the response
        cache); failures are returned, not raised."""
        landed = await self.landed_since_run_start(requests)
        return await self.fetcher.fetch_many([r for r in requests if r.key not in landed], self.counters)

    async def settle_by_date(self, requests: list[ApiRequest], dates: list[date],
                             first: Partition) -> dict[date, tuple[int, int]]:
        """Fetch `requests` at once, then land and settle each date under its own
        partition (its own dead letters); returns, per date, (items tried, items failed)."""
        result = await self.fetch_many(requests)
        items: dict[date, tuple[int, int]] = {}
        for day in dates:
            day_requests = [request for request in requests if request.partition_date == day]
            day_result = FetchResult(
                [response for response in result.responses if response.request.partition_date == day],
                [(request, error) for request, error in result.failures if request.partition_date == day])
            day_ctx = self.for_partition(Partition(first.source, first.endpoint, day))
            if day_requests:
                await day_ctx.settle(day_requests, day_result)
            for name, value in vars(day_ctx.counters).items():
                setattr(self.counters, name, getattr(self.counters, name) + value)
            items[day] = (day_ctx.counters.items_total, day_ctx.counters.items_failed)
        return items

    async def settle(self, requests: list[ApiRequest], result: FetchResult) -> None:
        """Land what `requests` fetched (a 304 lands nothing), record what failed. While the
        source's breaker is open, what landed stays and the job retries the rest later."""
        refused = await self.land_or_refuse([r for r in result.responses if r.status != NOT_MODIFIED])
        unchanged = [r for r in result.responses if r.status == NOT_MODIFIED]
        await self._mark_unchanged(unchanged)
        await self.resolve_letters([response.request.key for response in unchanged])
        unavailable = [error for _, error in result.failures if isinstance(error, SourceUnavailable)]
        if unavailable:
            raise max(unavailable, key=lambda error: error.wait_seconds)
        failures = result.failures + refused
        self.counters.items_total += len(requests)
        self.counters.items_failed += len(failures)
        for request, error in failures:
            await self.record_letter(request, error)
