"""A run's aggregate refreshes curated in lanes (pipeline.curate), each a transaction of
its own: what they leave equals a rebuild of every curated row in one transaction."""

from __future__ import annotations

import asyncio
import logging
from datetime import date

from pipeline import features, queries
from pipeline.curate import CURATED_LANES, LANES_FROM_DATES, curated_files
from pipeline.db import connect_async
from pipeline.runs.rebuild import rebuild
from pipeline.simulator.api import Simulator
from pipeline.sources import mlb
from tests.db.test_incremental_lookback import SEED, CountingTransport, backfill, base_url  # noqa: F401


def curated_snapshot(conn) -> dict[str, set[str]]:
    """Every curated row of the source (without updated_at), by table."""
    tables = ["curated." + name.split("/")[-1].join(["mlb_", ""]) for name in curated_files(mlb.SOURCE)]
    return {table: {row for (row,) in conn.execute(f"select (to_jsonb(t) - 'updated_at')::text from {table} as t")}
            for table in tables}


def test_a_backfills_curated_refresh_in_lanes_equals_a_rebuild(dsn, conn, base_url, caplog):
    start, end = date(2024, 4, 1), date(2024, 4, 10)
    assert (end - start).days + 1 >= LANES_FROM_DATES
    caplog.set_level(logging.INFO, logger="pipeline.curate")
    backfill(dsn, CountingTransport(Simulator(seed=SEED, season=2024)), start, end)
    lanes = [record.lanes for record in caplog.records if record.getMessage() == "curated refresh"]
    assert lanes == [CURATED_LANES], "the run's aggregate refreshed curated in lanes"
    after_run = curated_snapshot(conn)
    assert all(after_run[table] for table in after_run if "features" in table or "points" in table)

    _, written = asyncio.run(rebuild(dsn, mlb.SOURCE, "curated"))

    assert written == 0, "a rebuild in one transaction finds nothing to change"
    assert curated_snapshot(conn) == after_run


def test_the_feature_checks_of_a_lane_run_are_recorded_with_it_as_one_connection_finds_them(dsn, conn, base_url):
    """The feature checks run on the lanes' connections at once, after every lane has
    committed; the run records one result per check, the counts one connection finds."""
    start, end = date(2024, 4, 1), date(2024, 4, 10)
    backfill(dsn, CountingTransport(Simulator(seed=SEED, season=2024)), start, end)
    run_id, dates, seasons = conn.execute(
        "select run_id, curated_dates, curated_seasons from ops.pipeline_runs order by run_id desc limit 1").fetchone()
    recorded = {name: (checked, failing) for name, checked, failing in conn.execute(
        "select check_name, rows_checked, rows_failing from ops.data_quality_checks "
        "where run_id = %s and check_name like 'features\\_%%'", [run_id])}

    async def on_one_connection():
        async with await connect_async(dsn, autocommit=True) as aconn:
            return await features.feature_check_outputs([aconn], mlb.SOURCE, dates, seasons)

    outputs = asyncio.run(on_one_connection())
    assert len(outputs) == len(features.feature_checks(mlb.SOURCE)) >= 2
    assert recorded == {f"features_{check.check_name}": (checked, failing) for check, checked, failing, *_ in outputs}
    assert all(checked > 0 for checked, _ in recorded.values())


def test_a_refresh_transaction_runs_without_jit_and_with_at_least_32_mb_of_work_mem(conn):
    def settings() -> tuple[str, str, int]:
        return conn.execute("select current_setting('jit'), current_setting('work_mem'), "
                            "pg_size_bytes(current_setting('work_mem'))").fetchone()

    default = settings()
    with conn.transaction():
        queries.execute(conn, "refresh_settings")
        jit, _, work_mem = settings()
        assert jit == "off"
        assert work_mem == max(default[2], 32 * 1024 * 1024), "the feature files' sorts stay in memory"
    assert settings() == default, "for that transaction only"
    with conn.transaction():
        conn.execute("set local work_mem = '100MB'")
        queries.execute(conn, "refresh_settings")
        assert settings()[1] == "100MB", "a larger work_mem is kept"
