"""Planners: a mode and its arguments become a run, partitions and queued jobs."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date

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


async def plan_backfill(dsn: str, source_name: str, start: date, end: date, *, force: bool = False) -> PlannedRun:
    """Open a run, record its partitions, queue one extract job per partition to do."""
    source = sources.get(source_name)
    partitions = source.plan(start, end)
    async with await connect_async(dsn, autocommit=True) as conn:
        for table in source.raw_tables:
            await sqlfiles.execute_async(conn, "ops/ensure_partitions", {
                "table_name": table, "from_date": min(p.key for p in partitions), "to_date": end,
            })
        async with conn.transaction():
            cursor = await sqlfiles.execute_async(conn, "ops/create_run", {
                "source": source_name, "mode": "backfill",
                "params": Jsonb({"start": start.isoformat(), "end": end.isoformat(), "force": force}),
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
    log.info("run planned", extra={"run_id": run_id, "planned": len(partitions),
                                   "to_do": len(to_do), "queued": queued,
                                   "params": json.dumps({"start": str(start), "end": str(end)})})
    return PlannedRun(run_id, len(partitions), len(partitions) - len(to_do), queued)
