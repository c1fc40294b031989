"""A database that goes away while `run ... --wait` works a run ends the command with one
`Error:` line and its own exit code (69), not a traceback."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.cli.options import DatabaseLost
from pipeline.simulator.api import Simulator
from tests.bad_server import BadServer


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("PIPELINE_MLB_RATE_LIMIT", "0")
    monkeypatch.setenv("PIPELINE_MLB_BREAKER_THRESHOLD", "0")
    with BadServer(Simulator(seed=3, season=2024)) as bad:
        bad.delay = 1.0  # keeps the run busy while the database goes away
        monkeypatch.setenv("PIPELINE_MLB_BASE_URL", bad.url)
        yield bad


def test_a_database_lost_during_wait_is_one_line_and_exit_69(dsn, pg_server, server, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", dsn)
    dbname = psycopg.conninfo.conninfo_to_dict(dsn)["dbname"]
    admin = pg_server.dsn("postgres")

    def database_goes_away() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'alter database "{dbname}" allow_connections false')
            conn.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = %s", [dbname])

    timer = threading.Timer(2.5, database_goes_away)
    timer.start()
    started = time.monotonic()
    try:
        result = CliRunner().invoke(main, ["run", "backfill", "--start", "2024-04-16", "--end", "2024-04-18",
                                           "--wait"])
    finally:
        timer.join()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'alter database "{dbname}" allow_connections true')

    assert result.exit_code == DatabaseLost.exit_code, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "lost the database" in errors[0], result.output
    lines = result.output.splitlines()
    assert lines[-1] == errors[0], "the command ends with that line"
    # log lines are one JSON object each (their traceback field included): no bare traceback
    assert not any(line.startswith(("Traceback", "  File ")) for line in lines), result.output
    assert time.monotonic() - started < 60, "no wait for pool timeouts once the database is gone"
