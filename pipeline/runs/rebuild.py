"""`pipeline run rebuild --zone curated`: recompute every curated row from staging in one
transaction, as a run of its own. After any mode, curated must equal what this gives. The
dates owed a refresh when it starts (ops.curated_pending) are covered by it and cleared
with it; a date marked again while it ran keeps its mark."""

from __future__ import annotations

from pipeline import queries
from pipeline.curate import analyze_staging, refresh_curated
from pipeline.db import connect_async
from pipeline.errors import PipelineError
from pipeline.runs.open import create_run
from pipeline.sources import Source

ZONES = ("curated",)


async def rebuild(dsn: str, source: Source, zone: str) -> tuple[int, int]:
    """Returns (run_id, rows written)."""
    if zone not in ZONES:
        raise PipelineError(f"can only rebuild {', '.join(ZONES)} (staging: `pipeline run restage`)")
    async with await connect_async(dsn, autocommit=True) as conn:
        async with conn.transaction():
            run_id = await create_run(conn, source.name, "rebuild", {"zone": zone})
            cursor = await queries.execute_async(conn, "curated_pending_list", {"source": source.name})
            pending_dates, pending_versions = await cursor.fetchone()
            dates, seasons = await source.staged_scope(conn)
            await analyze_staging(conn, source)  # a rebuild reads everything: fresh statistics
            written = await refresh_curated(conn, source, dates, seasons, run_id)
            await queries.execute_async(conn, "curated_pending_clear", {
                "source": source.name, "pending_dates": pending_dates, "pending_versions": pending_versions})
            await queries.execute_async(conn, "run_finish", {"run_id": run_id})
    return run_id, written
