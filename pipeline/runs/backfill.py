"""Backfill: whole seasons or date ranges, one extract job per partition, resumable."""

from __future__ import annotations

from datetime import date

from pipeline.db import connect_async
from pipeline.errors import PipelineError
from pipeline.runs.open import PlannedRun, checked_range, open_run
from pipeline.sources import Source


def backfill_range(source: Source, start: date | None, end: date | None,
                   season: int | None) -> tuple[date, date]:
    """The dates a backfill covers, from --start/--end or --season; bad input is refused."""
    if season is not None:
        if start or end:
            raise PipelineError("give either --season or --start/--end, not both")
        return source.season_window(season)
    if start is None or end is None:
        raise PipelineError("a backfill needs --start and --end (or --season)")
    return checked_range(start, end)


async def plan_backfill(dsn: str, source: Source, start: date, end: date, *, force: bool = False) -> PlannedRun:
    """Open a backfill run over start..end and queue one extract job per partition to do."""
    async with await connect_async(dsn, autocommit=True) as conn:
        return await open_run(conn, dsn, source, "backfill",
                              {"start": start.isoformat(), "end": end.isoformat(), "force": force},
                              source.plan(start, end), force=force)
