"""`pipeline run rebuild --zone curated`: recompute every curated row from staging in one
transaction, as a run of its own. After any mode, curated must equal what this gives."""

from __future__ import annotations

from psycopg.types.json import Jsonb

from pipeline import sources, sqlfiles
from pipeline.errors import PipelineError

ZONES = ("curated",)


def rebuild(conn, source_name: str, zone: str) -> tuple[int, int]:
    """Returns (run_id, rows written)."""
    if zone not in ZONES:
        raise PipelineError(f"can only rebuild {', '.join(ZONES)} (staging is rebuilt by a forced backfill)")
    source = sources.get(source_name)
    written = 0
    with conn.transaction():
        run_id = sqlfiles.execute(conn, "ops/create_run", {
            "source": source_name, "mode": "rebuild", "params": Jsonb({"zone": zone}),
        }).fetchone()[0]
        dates, seasons = sqlfiles.execute(conn, f"ops/{source_name}/rebuild_scope").fetchone()
        for name in source.curated:
            cursor = sqlfiles.execute(conn, name, {"dates": dates, "seasons": seasons})
            written += cursor.fetchone()[0] if cursor.description else max(cursor.rowcount, 0)
        sqlfiles.execute(conn, "ops/finish_run", {"run_id": run_id})
    return run_id, written
