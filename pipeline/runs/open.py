"""Opening a run, for every mode: the run row, its partitions (those already done are
skipped unless forced) and the first step of each partition queued, in that order.

The first step is what the mode needs: `extract` (fetch, land, then transform), `window`
(one job extracts a whole window of dates: incremental and lookback), or `transform`
(restage: the raw zone already holds the data, no request is made).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date

from psycopg.types.json import Jsonb

from pipeline import queries
from pipeline.config import load_settings
from pipeline.errors import PipelineError
from pipeline.http import base_url_of, public_url, request_limits
from pipeline.jobs.extract import EXTRACT_TASK, EXTRACT_WINDOW_TASK, extract_window
from pipeline.jobs.step import PRIORITIES, defer_steps, finish_ready_runs
from pipeline.jobs.transform import TRANSFORM_TASK
from pipeline.jobs.worker import open_queue
from pipeline.partition import Partition
from pipeline.sources import Source

log = logging.getLogger(__name__)

FIRST_STEPS = ("extract", "window", "transform")
# A run that queues at least this many jobs refreshes the statistics of procrastinate's
# jobs table (pipeline/queries/queue_analyze.sql): planned for an empty queue, a worker's
# fetch took 8 ms with 206 jobs queued instead of 0.1 ms.
ANALYZE_QUEUE_AFTER_JOBS = 50


@dataclass(frozen=True)
class PlannedRun:
    run_id: int
    planned: int
    skipped: int
    queued: int


def checked_range(start: date, end: date) -> tuple[date, date]:
    """A date range a run may cover; bad input is refused."""
    if end < start:
        raise PipelineError(f"the end date {end} is before the start date {start}")
    if (end - start).days > 366 * 5:
        raise PipelineError(f"{start}..{end} spans more than five years; split it into several runs")
    return start, end


async def create_run(conn, source_name: str, mode: str, params: dict) -> int:
    cursor = await queries.execute_async(conn, "run_create", {
        "source": source_name, "mode": mode, "params": Jsonb(params),
    })
    (run_id,) = await cursor.fetchone()
    return run_id


async def ensure_raw_partitions(conn, source: Source, from_date: date, to_date: date) -> None:
    """Create, ahead of the run, the partitions its raw rows will land in."""
    for table in source.raw_tables:
        await queries.execute_async(conn, "partition_ensure", {
            "table_name": table, "from_date": from_date, "to_date": to_date,
        })


async def open_run(conn, dsn: str, source: Source, mode: str, params: dict, partitions: list[Partition], *,
                   force: bool = False, first_step: str = "extract", queue_open: bool = False) -> PlannedRun:
    """Create the run, record its partitions and queue their first step (season
    partitions before dated ones). `queue_open`: the caller runs inside a worker, whose
    App is already open."""
    if first_step not in FIRST_STEPS:
        raise ValueError(f"unknown first step {first_step!r}")
    settings = load_settings()
    # recorded on the run and its jobs without credentials; a worker whose configured URL is
    # the same server adds its own (see Runtime.fetcher)
    base_url = public_url(base_url_of(source, settings))
    request_limits(source, settings)  # a bad deadline or body limit is refused before anything is written
    if partitions:
        await ensure_raw_partitions(conn, source, min(p.key for p in partitions), max(p.key for p in partitions))
    status = "extracted" if first_step == "transform" else "pending"
    # the run's extract jobs fetch from this URL, whichever worker runs them
    params = {**params, "base_url": base_url}
    async with conn.transaction():
        run_id = await create_run(conn, source.name, mode, params)
        to_do = []
        for endpoint in sorted({p.endpoint for p in partitions}):
            keys = [p.key for p in partitions if p.endpoint == endpoint]
            cursor = await queries.execute_async(conn, "run_plan_partitions", {
                "run_id": run_id, "source": source.name, "endpoint": endpoint,
                "partition_keys": keys, "force": force, "status": status,
            })
            to_do += [Partition(source.name, endpoint, key)
                      for key, is_skipped in await cursor.fetchall() if not is_skipped]
        await queries.execute_async(conn, "run_count_planned", {"run_id": run_id})
    if queue_open:
        queued = await _queue(conn, source, mode, run_id, to_do, force, first_step, base_url)
    else:
        async with open_queue(dsn):
            queued = await _queue(conn, source, mode, run_id, to_do, force, first_step, base_url)
    planned = PlannedRun(run_id, len(partitions), len(partitions) - len(to_do), queued)
    log.info("run planned", extra={"run_id": run_id, "mode": mode, "planned": planned.planned,
                                   "skipped": planned.skipped, "queued": planned.queued,
                                   "params": json.dumps(params, default=str)})
    return planned


async def _queue(conn, source: Source, mode: str, run_id: int, to_do: list[Partition], force: bool,
                 first_step: str, base_url: str) -> int:
    queued = 0
    if first_step == "window" and to_do:
        keys = [p.key for p in to_do]
        await _defer_window(source, mode, run_id, min(keys), max(keys), base_url)
        queued = 1
    else:
        task = EXTRACT_TASK if first_step == "extract" else TRANSFORM_TASK
        extra = {"base_url": base_url} if first_step == "extract" else {}
        dated = set(source.dated_endpoints)
        queued = await defer_steps(task, sorted(to_do, key=lambda p: (p.endpoint in dated, p.key, p.endpoint)),
                                   run_id, force, **extra)
    if queued >= ANALYZE_QUEUE_AFTER_JOBS:
        await queries.execute_async(conn, "queue_analyze")
    await finish_ready_runs(conn, source.name)  # a run with nothing to do ends now
    return queued


async def _defer_window(source: Source, mode: str, run_id: int, start: date, end: date, base_url: str) -> None:
    """One job extracts the whole window (one schedule request for it)."""
    await extract_window.configure(
        queueing_lock=f"{EXTRACT_WINDOW_TASK}:{source.name}:{run_id}",
        priority=PRIORITIES[EXTRACT_WINDOW_TASK]).defer_async(
        run_id=run_id, source=source.name, mode=mode, start_date=start.isoformat(), end_date=end.isoformat(),
        base_url=base_url)
