"""The real CLI and worker against a simulator with a clock and corrections over HTTP:
incremental, lookback (conditional GETs answered 304), the audit trail, schedules, and a
curated rebuild that changes nothing."""

from __future__ import annotations

import json
import subprocess
import urllib.request

import psycopg
import pytest

from tests.e2e.conftest import CLI, SEASON, SEED, table_checksums

pytestmark = pytest.mark.e2e


@pytest.fixture
def clocked_simulator():
    process = subprocess.Popen([*CLI, "simulate", "serve", "--port", "0", "--seed", str(SEED), "--season",
                                str(SEASON), "--today", "2024-04-06", "--correction-rate", "0.3"],
                               stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline().strip()
    assert line.startswith("simulator listening on "), line
    yield line.rsplit(" ", 1)[-1]
    process.terminate()
    process.wait(timeout=10)


def get(url: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(url, data=data, method="POST" if data else "GET")) as answer:
        return json.loads(answer.read())


def test_incremental_and_lookback_through_the_cli(dsn, clocked_simulator, run_cli):
    url = clocked_simulator
    result = run_cli(["run", "backfill", "--start", "2024-04-03", "--end", "2024-04-05", "--wait"], dsn, url)
    assert result.returncode == 0, result.stderr[-3000:]
    before = get(f"{url}/__sim/stats")["requests"]

    result = run_cli(["run", "incremental", "--today", "2024-04-05", "--wait"], dsn, url)
    assert result.returncode == 0, result.stderr[-3000:]
    after = get(f"{url}/__sim/stats")["requests"]
    assert (after["schedule"] - before["schedule"], after["boxscore"] - before["boxscore"]) == (1, 0)

    assert get(f"{url}/__sim/clock", {"today": "2024-04-09"}) == {"today": "2024-04-09"}
    result = run_cli(["run", "lookback", "--days", "6", "--today", "2024-04-09", "--wait"], dsn, url)
    assert result.returncode == 0, result.stderr[-3000:]
    corrections = get(f"{url}/__sim/corrections?start=2024-04-03&end=2024-04-09")["corrections"]
    with psycopg.connect(dsn) as conn:
        for correction in corrections:
            if correction["field"] == "batting.hits":
                hits = conn.execute("select hits from staging.mlb_player_batting where game_pk = %s and player_id = %s",
                                    [correction["game_pk"], correction["player_id"]]).fetchone()[0]
                assert hits == correction["new"]
        unchanged = conn.execute("select count(*) from raw.mlb_boxscore where last_run_id = "
                                 "(select max(run_id) from ops.pipeline_runs) and first_run_id <> last_run_id"
                                 ).fetchone()[0]
        assert unchanged > 0, "box scores answered 304 were marked as seen again, not landed again"

    changes = run_cli(["changes", "--table", "mlb_player_pitching"], dsn, url)
    assert changes.returncode == 0 and "column" in changes.stdout.splitlines()[0], changes.stderr[-2000:]

    curated = {k: v for k, v in table_checksums(dsn).items() if k.startswith("curated.")}
    rebuilt = run_cli(["run", "rebuild", "--zone", "curated"], dsn, url)
    assert rebuilt.returncode == 0, rebuilt.stderr[-3000:]
    assert {k: v for k, v in table_checksums(dsn).items() if k.startswith("curated.")} == curated

    listed = run_cli(["schedule", "list"], dsn, url)
    assert "mlb-incremental" in listed.stdout and "mlb-lookback" in listed.stdout
    assert run_cli(["schedule", "add", "hourly", "--cron", "0 * * * *", "--mode", "incremental"], dsn, url).returncode == 0
    assert run_cli(["schedule", "enable", "hourly"], dsn, url).returncode == 0
    bad = run_cli(["schedule", "add", "broken", "--cron", "every minute", "--mode", "incremental"], dsn, url)
    assert bad.returncode != 0 and bad.stderr.strip().splitlines()[-1].startswith("Error:")
    with psycopg.connect(dsn) as conn:
        enabled, next_fire = conn.execute("select is_enabled, next_fire_at from ops.schedules "
                                          "where schedule_name = 'hourly'").fetchone()
    assert enabled and next_fire is not None
    assert run_cli(["schedule", "remove", "hourly"], dsn, url).returncode == 0
