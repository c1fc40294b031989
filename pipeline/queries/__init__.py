"""The application's own SQL (runs, checkpoints, landing, breaker, dead letters ...), one
file per query beside this module, loaded by name as procrastinate loads its queries.
Names read noun then verb: `run_create`, `dead_letter_record`, `partition_ensure`.
Analysts' SQL (staging, curated, quality, reports) lives in `sql/`, not here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.sqlfiles import SqlTree

QUERIES = SqlTree(Path(__file__).resolve().parent, timed=False)  # small bookkeeping, not worth timing


def render(name: str, **structure: Any) -> str:
    return QUERIES.render(name, **structure)


def execute(conn, name: str, params: dict[str, Any] | None = None, **structure: Any):
    return QUERIES.execute(conn, name, params, **structure)


async def execute_async(conn, name: str, params: dict[str, Any] | None = None, **structure: Any):
    return await QUERIES.execute_async(conn, name, params, **structure)


def names() -> list[str]:
    return [sql_file.name for sql_file in QUERIES.files()]
