"""A run that stages many rows refreshes the staging tables' planner statistics before it
aggregates (stale statistics after a bulk load made a season's aggregate take seconds);
a small run leaves them to autovacuum."""

from __future__ import annotations

import asyncio
import io
from datetime import date

import httpx
import pytest

from pipeline import curate, stage
from pipeline.config import load_settings
from pipeline.runs.backfill import plan_backfill
from pipeline.runs.progress import run_and_wait
from pipeline.runs.runtime import worker_runtime
from pipeline.simulator.api import Simulator
from pipeline.sources import mlb

DAY = date(2024, 4, 5)


class SimulatorTransport(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.sim = Simulator(seed=2, season=2024)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        status, headers, body = self.sim.handle(request.method, request.url.path, dict(request.url.params),
                                                dict(request.headers))
        return httpx.Response(status, headers=headers, content=body)


def backfill(dsn: str) -> None:
    async def go():
        planned = await plan_backfill(dsn, mlb.SOURCE, DAY, DAY)
        progress = await run_and_wait(worker_runtime(dsn, load_settings(), transport=SimulatorTransport()),
                                      planned.run_id, concurrency=2, stream=io.StringIO())
        assert progress.status == "succeeded", progress

    asyncio.run(go())


def estimated_games(conn) -> float:
    return conn.execute("select reltuples from pg_class where oid = 'staging.mlb_games'::regclass").fetchone()[0]


@pytest.fixture(autouse=True)
def simulator_url(monkeypatch):
    monkeypatch.setenv("PIPELINE_MLB_BASE_URL", "http://simulator.test")
    monkeypatch.setenv("PIPELINE_MLB_RATE_LIMIT", "0")


def test_a_bulk_load_is_analyzed_before_the_aggregate(dsn, conn, monkeypatch):
    monkeypatch.setattr(curate, "ANALYZE_AFTER_ROWS", 10)
    backfill(dsn)
    games = conn.execute("select count(*) from staging.mlb_games").fetchone()[0]
    assert games > 0 and estimated_games(conn) == games, "the planner knows how many games staging holds"


def test_a_bulk_load_analyzes_the_columns_each_staging_header_names(dsn, conn, monkeypatch):
    """A file's `statistics:` header narrows the ANALYZE to the columns the curated files
    join and group by (the line tables: most of the cost was the counting columns); a
    file without one gets every column analyzed."""
    monkeypatch.setattr(curate, "ANALYZE_AFTER_ROWS", 10)
    backfill(dsn)
    for sql_file in mlb.SOURCE.sql.files("staging/mlb/"):
        schema, table = stage.target_table(sql_file).split(".")
        analyzed = {r[0] for r in conn.execute(
            "select attname from pg_stats where schemaname = %s and tablename = %s", [schema, table])}
        columns = {r[0] for r in conn.execute(
            "select column_name from information_schema.columns where table_schema = %s and table_name = %s",
            [schema, table])}
        named = set(sql_file.names("statistics"))
        assert named <= columns, f"{sql_file.name}: its statistics header names {named - columns}"
        assert analyzed == (named or columns), f"{table}: analyzed {sorted(analyzed)}"
    assert conn.execute("select count(*) from pg_stats where schemaname = 'staging' and tablename = "
                        "'mlb_player_batting' and attname = 'hits'").fetchone()[0] == 0


def test_a_small_run_leaves_statistics_alone(dsn, conn, monkeypatch):
    monkeypatch.setattr(curate, "ANALYZE_AFTER_ROWS", 10_000_000)
    backfill(dsn)
    assert estimated_games(conn) == -1, "never analyzed (a fresh table's estimate is -1)"


def test_the_curated_refresh_runs_without_jit_and_leaves_the_session_alone(dsn):
    """JIT compiling the wide curated statements cost more than it saved (PostgreSQL 15:
    a season's refresh 22.6 s with it, 10.5 s without): off for the refresh's transaction,
    the session's own setting back after it."""
    from pipeline.db import connect_async

    async def go() -> tuple[str, str]:
        async with await connect_async(dsn, autocommit=True) as conn:
            await conn.execute("set jit = on")
            async with conn.transaction():
                await curate.refresh_curated(conn, mlb.SOURCE, [DAY], [DAY.year])
                during = (await (await conn.execute("select current_setting('jit')")).fetchone())[0]
            after = (await (await conn.execute("select current_setting('jit')")).fetchone())[0]
            return during, after

    during, after = asyncio.run(go())
    assert (during, after) == ("off", "on")
