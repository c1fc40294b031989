"""The dashboard page over a real backfill, driven by headless Chromium (Debian's
`chromium`): what the page draws matches the tables, and a screenshot is saved under
tests/artifacts/ (ignored by git)."""

from __future__ import annotations

import json
import subprocess
import urllib.error
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import psycopg
import pytest

from tests.binaries import require
from tests.e2e.observe import get, serving

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
START, END = "2024-04-01", "2024-04-10"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars"]


class Elements(HTMLParser):
    """Every element's tag and attributes, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def with_class(self, name: str) -> list[dict]:
        return [attrs for _, attrs in self.found if name in (attrs.get("class") or "").split()]


def chromium(url: str, profile: Path, *args: str) -> str:
    binary = require("chromium", "chromium")
    result = subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=8000", *args, url],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_the_dashboard_shows_what_the_tables_hold(dsn, simulator_url, run_cli, tmp_path):
    require("chromium", "chromium")
    result = run_cli(["run", "backfill", "--start", START, "--end", END, "--wait"], dsn, simulator_url)
    assert result.returncode == 0, result.stderr[-3000:]
    with psycopg.connect(dsn, autocommit=True) as conn:
        # give the calendar every colour: a failed date, a quality-blocked date, a letter
        conn.execute("update ops.pipeline_checkpoints set status = 'failed' "
                     "where endpoint = 'games' and partition_key = '2024-04-03'")
        conn.execute("insert into ops.data_quality_checks (source, check_name, severity, partition_key, "
                     "rows_checked, rows_failing, threshold, passed) "
                     "values ('mlb', 'runs_match_score', 'error', '2024-04-05', 10, 1, 0, false)")
        conn.execute("insert into ops.dead_letters (source, endpoint, partition_key, request_key, error_class, "
                     "error_message) values ('mlb', 'boxscore', '2024-04-06', '/x', 'NotJson', 'bad body')")
        runs = conn.execute("select run_id, status from ops.pipeline_runs").fetchall()
        planned = dict(conn.execute(
            "select run_id, count(*) from ops.run_partitions group by run_id").fetchall())
        states = dict(conn.execute(
            "select checkpoint.partition_key::text, case when blocked.partition_key is not null "
            "then 'quality_blocked' else checkpoint.status end from ops.pipeline_checkpoints as checkpoint "
            "left join ops.quality_blocked_partitions as blocked using (source, partition_key) "
            "where checkpoint.endpoint = 'games'").fetchall())
        breakers = dict(conn.execute("select source, state from ops.circuit_breakers").fetchall())

    with serving(dsn, simulator_url, tmp_path) as url:
        try:
            verdict, code = json.loads(get(f"{url}/health")), 200
        except urllib.error.HTTPError as not_ready:
            verdict, code = json.loads(not_ready.read()), not_ready.code
        assert code == (200 if verdict["status"] == "ready" else 503)
        assert {check["name"] for check in verdict["checks"]} >= {"database", "migrations", "worker", "breaker"}
        assert "dead_letters: 1 open dead letters" not in " ".join(verdict["reasons"]), "1 is under the threshold"
        data = json.loads(get(f"{url}/api/dashboard"))
        assert data["timeline"], "the queue and request charts have points from the backfill"
        page = Elements()
        page.feed(chromium(url + "/", tmp_path / "profile", "--dump-dom"))
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "dashboard.png"
        shot.unlink(missing_ok=True)
        chromium(url + "/", tmp_path / "profile-shot", "--window-size=1400,1900", f"--screenshot={shot}")

    assert any(tag == "body" and attrs.get("data-loaded") == "true" for tag, attrs in page.found), \
        "the page loaded its data and drew it"
    drawn_runs = {int(attrs["data-run-id"]): attrs for attrs in page.with_class("run")}
    assert set(drawn_runs) == {run_id for run_id, _ in runs}
    for run_id, status in runs:
        assert drawn_runs[run_id]["data-status"] == status
        assert int(drawn_runs[run_id]["data-planned"]) == planned[run_id]

    cells = {attrs["data-date"]: attrs["data-state"] for attrs in page.with_class("cell")}
    assert cells == states, "each date of the calendar has the colour of its checkpoint"
    assert Counter(cells.values())["failed"] == 1 and cells["2024-04-03"] == "failed"
    assert cells["2024-04-05"] == "quality_blocked"
    assert {attrs["data-source"]: attrs["data-state"] for attrs in page.with_class("breaker")} == breakers
    assert [int(attrs["data-open"]) for attrs in page.with_class("dead-letter")] == [1]
    assert page.with_class("freshness"), "freshness is drawn for the source"
    assert any(tag == "path" and attrs.get("data-series") == "requests" for tag, attrs in page.found)
    assert shot.stat().st_size > 10_000, "the screenshot shows a drawn page"
