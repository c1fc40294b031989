"""Lookback: re-fetch the last N days and today to catch stat corrections; every changed
value goes to ops.change_log."""

from __future__ import annotations

from datetime import date, timedelta

from pipeline.errors import PipelineError
from pipeline.runs.open import PlannedRun
from pipeline.runs.window import connect_and_open, open_window_run
from pipeline.sources import Source

MAX_DAYS = 366


async def plan_lookback(dsn: str, source: Source, today: date, *, days: int = 7,
                        queue_open: bool = False) -> PlannedRun:
    if not 1 <= days <= MAX_DAYS:
        raise PipelineError(f"--days {days}: a lookback covers 1 to {MAX_DAYS} days (a longer one is a backfill)")

    async def opener(conn) -> PlannedRun:
        return await open_window_run(conn, dsn, source, "lookback", today - timedelta(days=days), today,
                                     {"days": days}, queue_open=queue_open)

    return await connect_and_open(dsn, opener)
