"""The direct landing path (hash here, mark what is seen again, COPY only new versions
straight into raw) stays idempotent when two transactions land the same new version at
once: the loser falls back to the buffer path and stores nothing twice. Both paths land
any body as the JSON it is."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime, timezone

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import queries
from pipeline.http import ApiResponse
from pipeline.land import content_hash, land_responses, land_through_buffer
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


TEXTS = st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"))


def test_any_body_lands_as_the_json_it_is_on_both_paths(dsn, conn):
    """The binary COPY sends a body's JSON text as it came: backslashes, escapes, newlines,
    tabs and any character (but NUL, which jsonb has not) land as the same JSON, on the
    direct path and on the buffer path a lost race takes."""
    landed = iter(range(10_000, 20_000))  # a game per example: every body is a new version

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(note=TEXTS, indent=st.sampled_from([None, 1, "\t"]), through_buffer=st.booleans())
    def lands(note, indent, through_buffer):
        body = json.dumps({"note": note, "nested": [note, {"k\\\n": -1.25e-3}]},
                          ensure_ascii=indent is None, indent=indent).encode()
        game_pk = next(landed)
        response = ApiResponse(mlb.boxscore_request(game_pk, DAY), 200, body, datetime.now(timezone.utc))

        async def go():
            async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as db:
                await queries.execute_async(db, "partition_ensure", {
                    "table_name": "mlb_boxscore", "from_date": DAY, "to_date": DAY})
                if through_buffer:
                    async with db.transaction():
                        return await land_through_buffer(db, "mlb_boxscore", [response], 7, seen=0)
                return await land_responses(db, "mlb_boxscore", [response], 7)

        result = asyncio.run(go())
        assert (result.versions_added, result.bytes_sent) == (1, len(body))
        stored, params, hashed, same = conn.execute(
            "select payload, request_params, content_hash, payload = %s::text::jsonb from raw.mlb_boxscore"
            " where request_key = %s", [body.decode(), response.request.key]).fetchone()
        assert stored == json.loads(body) and same, "the payload is the body's JSON"
        assert params == {"gamePk": game_pk} and hashed == content_hash(body)

    lands()
