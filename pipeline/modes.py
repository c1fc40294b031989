"""Planners: a mode and its arguments become a run, partitions and queued jobs."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, timedelta

from psycopg.types.json import Jsonb

from pipeline import sources, sqlfiles
from pipeline.db import connect_async
from pipeline.errors import PipelineError
from pipeline.tasks import defer_partition, extract_partition, finish_ready_runs
from pipeline.worker import open_queue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlannedRun:
    run_id: int
    planned: int
    skipped: int
    queued: int


def backfill_range(source: sources.Source, start: date | None, end: date | None,
                   season: int | None) -> tuple[date, date]:
    """The dates a backfill covers, from --start/--end or --season; bad input is refused."""
    if season is not None:
        if start or end:
            raise PipelineError("give either --season or --start/--end, not both")
        return source.season_window(season)
    if start is None or end is None:
        raise PipelineError("a backfill needs --start and --end (or --season)")
    if end < start:
        raise PipelineError(f"the end date {end} is before the start date {start}")
    if (end - start).days > 366 * 5:
        raise PipelineError(f"{start}..{end} spans more than five years; split it into several backfills")
    return start, end


async def ensure_raw_partitions(conn, source: sources.Source, from_date: date, to_date: date) -> None:
    """Create, ahead of the run, the partitions its raw rows will land in."""
    for table in source.raw_tables:
        await sqlfiles.execute_async(conn, "ops/ensure_partitions", {
            "table_name": table, "from_date": from_date, "to_date": to_date,
        })


async def open_run(conn, dsn: str, source_name: str, mode: str, params: dict,
                   partitions: list[sources.Partition], *, force: bool = False) -> PlannedRun:
    """Create the run, record its partitions (those already done are skipped unless
    `force`), and queue one extract job per partition to do (teams before dates)."""
    async with conn.transaction():
        cursor = await sqlfiles.execute_async(conn, "ops/create_run", {
            "source": source_name, "mode": mode, "params": Jsonb(params),
        })
        (run_id,) = await cursor.fetchone()
        to_do = []
        for endpoint in sorted({p.endpoint for p in partitions}):
            keys = [p.key for p in partitions if p.endpoint == endpoint]
            cursor = await sqlfiles.execute_async(conn, "ops/plan_partitions", {
                "run_id": run_id, "source": source_name, "endpoint": endpoint,
                "partition_keys": keys, "force": force,
            })
            to_do += [sources.Partition(source_name, endpoint, key)
                      for key, is_skipped in await cursor.fetchall() if not is_skipped]
        await sqlfiles.execute_async(conn, "ops/count_planned", {"run_id": run_id})
    async with open_queue(dsn):
        queued = 0
        for partition in sorted(to_do, key=lambda p: (p.endpoint != "teams", p.key)):
            queued += await defer_partition(extract_partition, partition, run_id, force)
        await finish_ready_runs(conn, source_name)
    return PlannedRun(run_id, len(partitions), len(partitions) - len(to_do), queued)


async def plan_backfill(dsn: str, source_name: str, start: date, end: date, *, force: bool = False) -> PlannedRun:
    """Open a run, record its partitions, queue one extract job per partition to do."""
    source = sources.get(source_name)
    partitions = source.plan(start, end)
    async with await connect_async(dsn, autocommit=True) as conn:
        await ensure_raw_partitions(conn, source, min(p.key for p in partitions), end)
        planned = await open_run(conn, dsn, source_name, "backfill",
                                 {"start": start.isoformat(), "end": end.isoformat(), "force": force},
                                 partitions, force=force)
    log.info("run planned", extra={"run_id": planned.run_id, "planned": planned.planned,
                                   "skipped": planned.skipped, "queued": planned.queued,
                                   "params": json.dumps({"start": str(start), "end": str(end)})})
    return planned


# -- incremental and lookback ---------------------------------------------------------------

def default_today() -> date:
    """The MLB's own calendar day (US Eastern): games of a US evening belong to that date."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("America/New_York")).date()


async def _window_start(conn, source_name: str, today: date, overlap_days: int) -> date:
    cursor = await sqlfiles.execute_async(conn, f"ops/{source_name}/incremental_window", {
        "source": source_name, "today": today, "overlap_days": overlap_days,
    })
    start, _ = await cursor.fetchone()
    return start


async def plan_window(dsn: str, source_name: str, mode: str, today: date, *, days: int = 7,
                      overlap_days: int = 1, queue_open: bool = False) -> PlannedRun:
    """Open an incremental or lookback run over a window of dates ending `today` and queue
    its one extract job. Incremental: from the watermark (minus `overlap_days`) to today;
    lookback: the `days` days before today, and today."""
    from pipeline.window_tasks import extract_window

    if mode not in ("incremental", "lookback"):
        raise PipelineError(f"unknown mode {mode!r}")
    if days < 1 or overlap_days < 0:
        raise PipelineError("--days must be at least 1 and --overlap-days at least 0")
    source = sources.get(source_name)
    async with await connect_async(dsn, autocommit=True) as conn:
        if mode == "incremental":
            start = await _window_start(conn, source_name, today, overlap_days)
        else:
            start = today - timedelta(days=days)
        await ensure_raw_partitions(conn, source, start, today)
        params = {"today": today.isoformat(), "start": start.isoformat(), "end": today.isoformat()}
        params.update({"days": days} if mode == "lookback" else {"overlap_days": overlap_days})
        dates = [start + timedelta(days=offset) for offset in range((today - start).days + 1)]
        async with conn.transaction():
            cursor = await sqlfiles.execute_async(conn, "ops/create_run", {
                "source": source_name, "mode": mode, "params": Jsonb(params),
            })
            (run_id,) = await cursor.fetchone()
            # every date of the window is reopened: the extract job decides what to fetch
            await sqlfiles.execute_async(conn, "ops/plan_partitions", {
                "run_id": run_id, "source": source_name, "endpoint": "games",
                "partition_keys": dates, "force": True,
            })
            await sqlfiles.execute_async(conn, "ops/count_planned", {"run_id": run_id})
        job = extract_window.configure(queueing_lock=f"pipeline.extract_window:{source_name}:{run_id}")
        arguments = {"run_id": run_id, "source": source_name, "mode": mode,
                     "start_date": start.isoformat(), "end_date": today.isoformat()}
        if queue_open:
            await job.defer_async(**arguments)
        else:
            async with open_queue(dsn):
                await job.defer_async(**arguments)
    log.info("run planned", extra={"run_id": run_id, "mode": mode, "planned": len(dates),
                                   "params": json.dumps(params)})
    return PlannedRun(run_id, len(dates), 0, 1)
