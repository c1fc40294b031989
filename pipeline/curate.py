"""Refreshing the curated zone: the source's curated files, in the order their headers
give, over the dates and seasons a run touched (or, for a rebuild, everything staged)."""

from __future__ import annotations

from datetime import date

from pipeline import features, sqlfiles
from pipeline.sources import Source
from pipeline.stage import target_table


def curated_files(source: Source) -> list[str]:
    """Every file under `curated/<source>/`, each after the curated tables it reads."""
    files = source.sql.files(f"curated/{source.name}/")
    return [sql_file.name for sql_file in sqlfiles.in_dependency_order(files, target_table)]


async def refresh_curated(conn, source: Source, dates: list[date], seasons: list[int],
                          run_id: int | None = None) -> int:
    """Recompute the curated rows of `dates` and `seasons`, then check the feature rows
    recomputed (sql/quality/features/<source>/); returns the rows written (inserted,
    updated or deleted). Call it inside a transaction."""
    written = 0
    if not dates and not seasons:
        return written
    for name in curated_files(source):
        cursor = await source.sql.execute_async(conn, name, {"dates": dates, "seasons": seasons})
        written += await sqlfiles.rows_written(cursor)
    await features.run_feature_checks(conn, source, dates, seasons, run_id)
    return written
