"""What incremental and lookback runs share: a window of dates ending `today`, every
date of it reopened (the window job decides what to fetch), one extract job for all."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from pipeline.db import connect_async
from pipeline.partition import Partition
from pipeline.runs.open import PlannedRun, open_run
from pipeline.sources import Source


def default_today() -> date:
    """The MLB's own calendar day (US Eastern): games of a US evening belong to that date."""
    return datetime.now(ZoneInfo("America/New_York")).date()


async def open_window_run(conn, dsn: str, source: Source, mode: str, start: date, today: date, params: dict, *,
                          queue_open: bool = False) -> PlannedRun:
    dates = [start + timedelta(days=offset) for offset in range((today - start).days + 1)]
    params = {"today": today.isoformat(), "start": start.isoformat(), "end": today.isoformat(), **params}
    return await open_run(conn, dsn, source, mode, params,
                          [Partition(source.name, source.window_endpoint, day) for day in dates],
                          force=True, first_step="window", queue_open=queue_open)


async def connect_and_open(dsn: str, opener) -> PlannedRun:
    async with await connect_async(dsn, autocommit=True) as conn:
        return await opener(conn)
