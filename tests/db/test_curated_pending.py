"""A run refreshes curated for the dates where something changed, and for every date a
run before it left owed (ops.curated_pending): staging rows written, or the quality gate
moving on a date, whichever run did it. A restage that changes nothing refreshes nothing;
one that follows a failed aggregate, or a check that now blocks (or, mended or removed,
stops blocking) a date, refreshes exactly what it must."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
from datetime import date

import pytest
from click.testing import CliRunner

from pipeline import quality, queries, sources, sqlfiles
from pipeline.cli import main
from pipeline.config import load_settings
from pipeline.errors import PipelineError
from pipeline.jobs import aggregate
from pipeline.jobs.app import QUEUE
from pipeline.jobs.step import AGGREGATE_TASK
from pipeline.jobs.worker import open_queue, run_worker
from pipeline.runs.backfill import plan_backfill
from pipeline.runs.rebuild import rebuild
from pipeline.runs.restage import plan_restage
from pipeline.runs.runtime import worker_runtime
from pipeline.sources import mlb
from tests.db.test_restage_retry import END, START, transport, work  # noqa: F401 (fixture)

DAY = date(2024, 4, 3)
CURATED = ("curated.mlb_fantasy_points_game", "curated.mlb_fantasy_points_daily", "curated.mlb_daily_totals",
           "curated.mlb_player_season_batting", "curated.mlb_features_batting", "curated.mlb_features_fantasy")

# an error check that fails on DAY without naming a game: the whole date is held back
BLOCKS_DAY = f"""-- purpose:   test: holds back {DAY}
-- grain:     one row per partition
-- keys:      none
-- partition: partition_date
-- sources:   staging.mlb_games
-- severity:  error
-- threshold: 0
select
    1 as rows_checked,
    (%(partition_date)s::date = date '{DAY}')::integer as rows_failing,
    (%(partition_date)s::date = date '{DAY}')::integer as metric_value,
    '[]'::jsonb as failing_keys,
    '{{}}'::jsonb as details
"""


def curated(conn) -> dict[str, list[tuple]]:
    """The curated tables' rows, without the time they were written."""
    tables = {}
    for table in CURATED:
        schema, name = table.split(".")
        columns = [row[0] for row in conn.execute(
            "select column_name from information_schema.columns where table_schema = %s and table_name = %s "
            "and column_name <> 'updated_at' order by ordinal_position", [schema, name])]
        tables[table] = sorted(conn.execute(f"select {', '.join(columns)} from {table}").fetchall(), key=repr)
    return tables


def run_row(conn, run_id: int) -> tuple:
    return conn.execute("select status, curated_dates from ops.pipeline_runs where run_id = %s", [run_id]).fetchone()


def restage(dsn, transport) -> int:  # noqa: F811 (the fixture's value)
    planned = asyncio.run(plan_restage(dsn, sources.get("mlb"), START, END))
    work(dsn, transport, planned)
    return planned.run_id


@pytest.fixture
def edited_sql(tmp_path):
    """A copy of the SQL tree, used as the MLB source's while the test runs."""
    edited = tmp_path / "sql"
    shutil.copytree(sqlfiles.sql_root(), edited)
    sources.register(dataclasses.replace(mlb.SOURCE, sql=sqlfiles.SqlTree(edited)))
    yield edited
    sources.register(mlb.SOURCE)


def test_a_restage_that_changes_nothing_refreshes_no_curated_date(dsn, conn, transport):  # noqa: F811
    assert work(dsn, transport, asyncio.run(plan_backfill(dsn, mlb.SOURCE, START, END))) == "succeeded"
    before = curated(conn)
    assert all(before.values()), "the backfill filled every curated table looked at"

    run_id = restage(dsn, transport)

    assert run_row(conn, run_id) == ("succeeded", [])
    written = conn.execute("select stage, sum(rows_written) from ops.job_log where run_id = %s group by stage",
                           [run_id]).fetchall()
    assert dict(written) == {"transform": 0, "aggregate": 0}
    assert curated(conn) == before
    assert conn.execute("select count(*) from ops.curated_pending").fetchone()[0] == 0


def test_a_second_aggregate_of_a_closed_run_changes_nothing(dsn, conn, transport):  # noqa: F811
    """Two partitions that end at once can each queue the run's aggregate: the second runs
    once the first has closed the run, and must neither rewrite the run's curated dates nor
    take the marks a later run is owed (seen: a restage's dates overwritten with [])."""
    assert work(dsn, transport, asyncio.run(plan_backfill(dsn, mlb.SOURCE, START, END))) == "succeeded"
    run_id = restage(dsn, transport)
    closed = conn.execute("select status, curated_dates, finished_at from ops.pipeline_runs where run_id = %s",
                          [run_id]).fetchone()
    assert closed[:2] == ("succeeded", [])
    conn.execute("insert into ops.curated_pending (source, partition_date, run_id) values ('mlb', %s, %s)",
                 [DAY, run_id])

    async def second_aggregate() -> int:
        async with open_queue(dsn) as app:
            job_id = await app.configure_task(AGGREGATE_TASK, queue=QUEUE, lock="curated:mlb").defer_async(
                run_id=run_id, source="mlb")

        async def ended() -> bool:
            return conn.execute("select status from procrastinate_jobs where id = %s",
                                [job_id]).fetchone()[0] not in ("todo", "doing")

        await run_worker(worker_runtime(dsn, load_settings(), transport=transport), concurrency=1, until=ended)
        return job_id

    job_id = asyncio.run(second_aggregate())
    assert conn.execute("select status from procrastinate_jobs where id = %s", [job_id]).fetchone()[0] == "succeeded"
    assert conn.execute("select status, curated_dates, finished_at from ops.pipeline_runs where run_id = %s",
                        [run_id]).fetchone() == closed, "the closed run is left as it was"
    owed = [row[0] for row in conn.execute("select partition_date from ops.curated_pending")]
    assert owed == [DAY], "the date stays owed to the next run"
    assert conn.execute("select count(*) from ops.job_log where run_id = %s and stage = 'aggregate'",
                        [run_id]).fetchone()[0] == 1, "the run's job log shows the one aggregate that closed it"


def test_dates_a_failed_aggregate_left_owed_are_refreshed_by_the_next_run(dsn, conn, transport, edited_sql,  # noqa: F811
                                                                         monkeypatch):
    assert work(dsn, transport, asyncio.run(plan_backfill(dsn, mlb.SOURCE, START, END))) == "succeeded"
    batting = edited_sql / "staging" / "mlb" / "player_batting.sql"
    batting.write_text(batting.read_text().replace('"rbi": "rbi",', '"rbi": "runs",'))

    async def fails(*args, **kwargs):
        raise PipelineError("the curated refresh failed (test)")

    with monkeypatch.context() as patched:
        patched.setattr(aggregate, "refresh_curated_in_lanes", fails)
        failed_run = restage(dsn, transport)
    assert run_row(conn, failed_run)[0] == "failed"
    owed = [row[0] for row in conn.execute("select partition_date from ops.curated_pending order by 1")]
    assert owed == [START, DAY, END], "staging changed on every date; nothing refreshed curated"
    assert conn.execute("select count(*) from curated.mlb_player_season_batting where rbi <> runs").fetchone()[0] > 0

    # staging already holds the edit: this restage writes no staging row, yet owes the dates
    run_id = restage(dsn, transport)
    assert run_row(conn, run_id) == ("succeeded", [START, DAY, END])
    assert conn.execute("select sum(rows_written) from ops.job_log where run_id = %s and stage = 'transform'",
                        [run_id]).fetchone()[0] == 0
    assert conn.execute("select count(*) from curated.mlb_player_season_batting where rbi <> runs").fetchone()[0] == 0
    assert conn.execute("select count(*) from ops.curated_pending").fetchone()[0] == 0


@pytest.mark.parametrize("release", ["mended", "removed"])
def test_a_check_that_starts_or_stops_blocking_a_date_refreshes_that_date(dsn, conn, transport, edited_sql,  # noqa: F811
                                                                           release):
    assert work(dsn, transport, asyncio.run(plan_backfill(dsn, mlb.SOURCE, START, END))) == "succeeded"
    before = curated(conn)
    daily = "select count(*) from curated.mlb_fantasy_points_daily where official_date = %s"
    assert conn.execute(daily, [DAY]).fetchone()[0] > 0

    check = edited_sql / "quality" / "mlb" / "blocks_day.sql"
    check.write_text(BLOCKS_DAY)
    quality._CHECKS.clear()  # what a new worker process does: read the checks again
    blocking = restage(dsn, transport)
    assert run_row(conn, blocking)[1] == [DAY], "only the date whose gate moved is refreshed"
    assert conn.execute(daily, [DAY]).fetchone()[0] == 0, "the held-back date left curated"

    if release == "mended":
        check.write_text(BLOCKS_DAY.replace(f"date '{DAY}'", "date '1999-01-01'"))
    else:
        check.unlink()
    quality._CHECKS.clear()
    released = restage(dsn, transport)
    assert run_row(conn, released) == ("succeeded", [DAY]), "the date whose check failed before is refreshed"
    assert curated(conn) == before
    latest = conn.execute("select passed, details from ops.data_quality_checks where check_name = 'blocks_day' "
                          "order by check_result_id desc limit 1").fetchone()
    assert latest == (True, {"retired": "the check's file is gone"} if release == "removed" else {})


def test_a_date_quality_run_blocks_is_refreshed_by_the_next_run_whatever_its_dates(dsn, conn, transport,  # noqa: F811
                                                                                 edited_sql, monkeypatch, tmp_path):
    assert work(dsn, transport, asyncio.run(plan_backfill(dsn, mlb.SOURCE, START, END))) == "succeeded"
    daily = "select count(*) from curated.mlb_fantasy_points_daily where official_date = %s"
    assert conn.execute(daily, [DAY]).fetchone()[0] > 0
    (edited_sql / "quality" / "mlb" / "blocks_day.sql").write_text(BLOCKS_DAY)
    quality._CHECKS.clear()
    monkeypatch.setenv("DATABASE_URL", dsn)
    monkeypatch.setenv("PIPELINE_HOME", str(tmp_path / ".pipeline"))
    monkeypatch.setenv("PIPELINE_CONFIG", str(tmp_path / "none.toml"))

    checked = CliRunner().invoke(main, ["quality", "run", "--start", str(DAY)])
    assert checked.exit_code == 5, checked.output
    assert [row[0] for row in conn.execute("select partition_date from ops.curated_pending")] == [DAY]
    assert conn.execute(daily, [DAY]).fetchone()[0] > 0, "curated follows at the next run, not in the command"

    # a restage of another date: nothing changes there, the owed date is refreshed
    planned = asyncio.run(plan_restage(dsn, sources.get("mlb"), START, START))
    assert work(dsn, transport, planned) == "succeeded"
    assert run_row(conn, planned.run_id) == ("succeeded", [DAY])
    assert conn.execute(daily, [DAY]).fetchone()[0] == 0, "the held-back date left curated"


def test_a_mark_made_after_an_aggregate_read_it_survives_the_clearing(conn):
    conn.execute("insert into ops.curated_pending (source, partition_date) values ('mlb', %s)", [DAY])
    (read_version,) = conn.execute("select version from ops.curated_pending").fetchone()
    # a transform marks the date again before the aggregate that read it clears its marks
    conn.execute("update ops.curated_pending set version = nextval('ops.curated_pending_version')")
    queries.execute(conn, "curated_pending_clear", {"source": "mlb", "pending_dates": [DAY],
                                                    "pending_versions": [read_version]})
    assert conn.execute("select count(*) from ops.curated_pending").fetchone()[0] == 1
    (current,) = conn.execute("select version from ops.curated_pending").fetchone()
    queries.execute(conn, "curated_pending_clear", {"source": "mlb", "pending_dates": [DAY],
                                                    "pending_versions": [current]})
    assert conn.execute("select count(*) from ops.curated_pending").fetchone()[0] == 0



def test_a_rebuild_clears_the_dates_owed_when_it_started(dsn, conn):
    conn.execute("insert into ops.curated_pending (source, partition_date) values ('mlb', %s), ('mlb', %s)",
                 [START, DAY])
    conn.execute("insert into ops.curated_pending (source, partition_date) values ('other', %s)", [DAY])

    run_id, _ = asyncio.run(rebuild(dsn, mlb.SOURCE, "curated"))

    assert run_row(conn, run_id)[0] == "succeeded"
    assert conn.execute("select source, partition_date from ops.curated_pending").fetchall() == [("other", DAY)], \
        "the source's marks are covered by the rebuild; another source's stay"
