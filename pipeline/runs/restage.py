"""Restage: re-run staging and the quality checks for dates already landed, from the raw
zone, with no API request (for an analyst who changed a staging SQL file). Each
partition's transform job is queued directly; the run's aggregate refreshes curated for
the dates where staging changed or the quality gate moved (pipeline/queries/run_scope.sql),
so a restage that changes nothing writes nothing."""

from __future__ import annotations

from datetime import date

from pipeline import queries
from pipeline.db import connect_async
from pipeline.errors import PipelineError
from pipeline.partition import Partition
from pipeline.runs.open import PlannedRun, checked_range, open_run
from pipeline.sources import Source


async def plan_restage(dsn: str, source: Source, start: date, end: date) -> PlannedRun:
    checked_range(start, end)
    wanted = source.plan(start, end)
    async with await connect_async(dsn, autocommit=True) as conn:
        cursor = await queries.execute_async(conn, "checkpoint_landed", {
            "source": source.name, "endpoints": [p.endpoint for p in wanted],
            "partition_keys": [p.key for p in wanted]})
        landed = [Partition(source.name, endpoint, key) for endpoint, key in await cursor.fetchall()]
        if not landed:
            raise PipelineError(f"nothing of {source.name} was landed between {start} and {end}: "
                                "run a backfill first")
        return await open_run(conn, dsn, source, "restage", {"start": start.isoformat(), "end": end.isoformat()},
                              landed, force=True, first_step="transform")
