"""Small helpers the db tests share: land a payload through the real COPY path, run a
SQL file, read rows as dicts."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime, timezone
from pathlib import Path

import psycopg
from psycopg.rows import dict_row

from pipeline import queries, sqlfiles
from pipeline.http import ApiRequest, ApiResponse
from pipeline.land import LandResult, land_responses
from pipeline.sources import mlb

FIXTURES = Path(__file__).resolve().parent / "db" / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def land(dsn: str, request: ApiRequest, body: bytes, run_id: int | None = None) -> LandResult:
    async def go() -> LandResult:
        async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
            for table in mlb.SOURCE.raw_tables:
                await queries.execute_async(conn, "partition_ensure", {
                    "table_name": table, "from_date": request.partition_date, "to_date": request.partition_date})
            response = ApiResponse(request, 200, body, datetime.now(timezone.utc), etag='"x"')
            return await land_responses(conn, f"mlb_{request.endpoint}", [response], run_id)

    return asyncio.run(go())


def land_schedule(dsn: str, day: date, body: bytes) -> LandResult:
    return land(dsn, mlb.schedule_request(day), body)


def land_boxscore(dsn: str, game_pk: int, day: date, body: bytes) -> LandResult:
    return land(dsn, mlb.boxscore_request(game_pk, day), body)


def run_sql(conn, name: str, tree=None, **params) -> int:
    """Run an analysts' SQL file (or one of `tree`, e.g. a source's queries); returns the
    rows it wrote, or its `rows_written` column."""
    cursor = (tree or sqlfiles.analysts_tree()).execute(conn, name, params)
    if cursor.description and cursor.description[0].name == "rows_written":
        return cursor.fetchone()[0]
    return cursor.rowcount


def rows(conn, query: str, params=None) -> list[dict]:
    with conn.cursor(row_factory=dict_row) as cursor:
        return cursor.execute(query, params).fetchall()


def comparable(row: dict, keys) -> dict:
    """The row restricted to `keys`, with dates as ISO strings, as the JSON fixtures hold them."""
    return {key: (row[key].isoformat() if hasattr(row[key], "isoformat") else row[key]) for key in keys}


def load_json(name: str):
    return json.loads((FIXTURES / name).read_text())
