"""Incremental: from the watermark (minus an overlap for late games) to today, only what
is new or changed. The watermark moves when the run succeeds (see watermark_advance)."""

from __future__ import annotations

from datetime import date

from pipeline.errors import PipelineError
from pipeline.runs.open import PlannedRun
from pipeline.runs.window import connect_and_open, open_window_run
from pipeline.sources import Source


async def plan_incremental(dsn: str, source: Source, today: date, *, overlap_days: int = 1,
                           queue_open: bool = False) -> PlannedRun:
    if overlap_days < 0:
        raise PipelineError("--overlap-days must be at least 0")

    async def opener(conn) -> PlannedRun:
        start = await source.window_start(conn, today, overlap_days)
        return await open_window_run(conn, dsn, source, "incremental", start, today,
                                     {"overlap_days": overlap_days}, queue_open=queue_open)

    return await connect_and_open(dsn, opener)
