"""The direct landing path (hash here, mark what is seen again, COPY only new versions
straight into raw) stays idempotent when two transactions land the same new version at
once: the loser falls back to the buffer path and stores nothing twice."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timezone

import psycopg

from pipeline import queries
from pipeline.http import ApiResponse
from pipeline.land import land_responses
from pipeline.sources import mlb

DAY = date(2024, 4, 10)
BODY = b'{"gamePk": 1, "teams": {}}'


def response() -> ApiResponse:
    return ApiResponse(mlb.boxscore_request(1, DAY), 200, BODY, datetime.now(timezone.utc))


def test_a_version_landed_twice_at_once_is_stored_once(dsn, conn):
    async def go():
        async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as first, \
                await psycopg.AsyncConnection.connect(dsn, autocommit=True) as second:
            await queries.execute_async(first, "partition_ensure", {
                "table_name": "mlb_boxscore", "from_date": DAY, "to_date": DAY})
            async with first.transaction():  # holds its new version uncommitted ...
                won = await land_responses(first, "mlb_boxscore", [response()], 1)
                # ... while the second lands the same version: its COPY waits, then conflicts
                racing = asyncio.create_task(land_responses(second, "mlb_boxscore", [response()], 2))
                await asyncio.sleep(0.5)
                assert not racing.done(), "the second COPY waits for the first transaction"
            lost = await racing
            again = await land_responses(second, "mlb_boxscore", [response()], 3)
            return won, lost, again

    won, lost, again = asyncio.run(go())
    assert (won.versions_added, won.versions_seen) == (1, 0)
    assert (lost.versions_added, lost.versions_seen) == (0, 1), "the loser stored nothing and saw the version"
    assert (again.versions_added, again.versions_seen) == (1 - 1, 1), "a later identical fetch stores nothing"
    rows = conn.execute("select count(*), max(last_run_id), min(first_run_id) from raw.mlb_boxscore").fetchone()
    assert rows == (1, 3, 1)


def test_a_changed_body_is_a_new_version_and_duplicates_in_a_batch_are_one(dsn, conn):
    async def go():
        async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as db:
            await queries.execute_async(db, "partition_ensure", {
                "table_name": "mlb_boxscore", "from_date": DAY, "to_date": DAY})
            first = await land_responses(db, "mlb_boxscore", [response(), response()], 1)
            changed = ApiResponse(mlb.boxscore_request(1, DAY), 200, BODY.replace(b"1", b"2"),
                                  datetime.now(timezone.utc))
            second = await land_responses(db, "mlb_boxscore", [changed, response()], 2)
            return first, second

    first, second = asyncio.run(go())
    assert (first.versions_added, first.versions_seen) == (1, 0)
    assert (second.versions_added, second.versions_seen) == (1, 1)
    assert conn.execute("select count(*) from raw.mlb_boxscore").fetchone()[0] == 2
