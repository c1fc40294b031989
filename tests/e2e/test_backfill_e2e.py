"""The real CLI and worker against the simulator over HTTP: a backfill lands what the
simulated league played, a re-run changes nothing, a killed run resumes to the same tables."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.request
from collections import Counter, defaultdict
from datetime import date

import psycopg
import pytest

from pipeline.simulator.api import Simulator
from tests.e2e.conftest import CLI, SEASON, SEED, cli_env, table_checksums

pytestmark = pytest.mark.e2e

START, END = date(2024, 4, 8), date(2024, 4, 21)


@pytest.fixture(scope="module")
def league() -> Simulator:
    return Simulator(seed=SEED, season=SEASON)


def final_games(league: Simulator, start: date, end: date) -> dict[int, dict]:
    return {game["game_pk"]: game for game in league.games(start, end)
            if game["status"] == "Final" and game.get("away_score") is not None}


def served(simulator_url: str) -> int:
    with urllib.request.urlopen(f"{simulator_url}/__sim/stats") as response:
        return json.load(response)["total"]


def test_backfill_matches_the_simulated_league_and_rerun_changes_nothing(dsn, simulator_url, run_cli, league):
    served_before = served(simulator_url)
    result = run_cli(["run", "backfill", "--start", START.isoformat(), "--end", END.isoformat(), "--wait"],
                     dsn, simulator_url)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "succeeded" in result.stdout
    with psycopg.connect(dsn) as conn:
        logged = conn.execute("select sum(requests) from ops.job_log").fetchone()[0]
    assert logged == served(simulator_url) - served_before, "the job log counts the requests the API served"

    expected = final_games(league, START, END)
    with psycopg.connect(dsn) as conn:
        scores = {pk: (away, home) for pk, away, home in conn.execute(
            "select game_pk, away_score, home_score from staging.mlb_games "
            "where detailed_state = 'Final' and official_date between %s and %s", [START, END])}
        assert scores == {pk: (g["away_score"], g["home_score"]) for pk, g in expected.items()}

        line_runs = dict(conn.execute(
            "select game_pk, sum(runs) from staging.mlb_player_batting group by game_pk").fetchall())
        assert line_runs == {pk: g["away_score"] + g["home_score"] for pk, g in expected.items()}, \
            "player runs must add up to the simulator's scores"

        want_hits: Counter = Counter()
        for pk in expected:
            for side in ("away", "home"):
                for player in league.boxscore(pk)["teams"][side]["players"].values():
                    if player["stats"]["batting"]:
                        want_hits[player["person"]["id"]] += player["stats"]["batting"]["hits"]
        got_hits = dict(conn.execute(
            "select player_id, hits from curated.mlb_player_season_batting where season = %s", [SEASON]).fetchall())
        assert got_hits == dict(want_hits), "season hits per player equal the simulator's box scores"

        wins: Counter = Counter()
        for game in expected.values():
            wins[game["away_team_id"] if game["away_score"] > game["home_score"] else game["home_team_id"]] += 1
        standings = dict(conn.execute(
            "select team_id, wins from curated.mlb_team_standings where season = %s and wins > 0", [SEASON]).fetchall())
        assert standings == dict(wins)
        assert conn.execute("select count(*) from curated.mlb_fantasy_points_daily").fetchone()[0] > 0
        raw_versions = conn.execute("select count(*) from raw.mlb_boxscore").fetchone()[0]
        assert raw_versions == len(expected)

    before = table_checksums(dsn)
    again = run_cli(["run", "backfill", "--start", START.isoformat(), "--end", END.isoformat(), "--wait"],
                    dsn, simulator_url)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "already done, 0 queued" in again.stdout
    forced = run_cli(["run", "backfill", "--start", START.isoformat(), "--end", END.isoformat(), "--wait", "--force"],
                     dsn, simulator_url)
    assert forced.returncode == 0, forced.stderr[-3000:]
    assert table_checksums(dsn) == before, "re-running the same backfill must not change any table"
    with psycopg.connect(dsn) as conn:
        assert conn.execute("select count(*) from raw.mlb_boxscore").fetchone()[0] == raw_versions, \
            "identical re-fetches store no new raw version"
        written = conn.execute(
            "select coalesce(sum(rows_written), 0) from ops.job_log where stage = 'transform' and run_id = "
            "(select max(run_id) from ops.pipeline_runs)").fetchone()[0]
        assert written == 0, "a forced re-run of unchanged data writes no staging row"


def wait_for_done_partitions(dsn: str, at_least: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with psycopg.connect(dsn) as conn:
            done = conn.execute("select count(*) from ops.pipeline_checkpoints "
                                "where endpoint = 'games' and status = 'done'").fetchone()[0]
        if done >= at_least:
            return
        time.sleep(0.2)
    raise AssertionError(f"fewer than {at_least} partitions done after {timeout}s")


def test_killed_backfill_restarted_ends_with_the_same_tables(make_database, simulator_url, run_cli, tmp_path):
    start, end = "2024-05-01", "2024-05-10"
    clean, crashed = make_database(), make_database()
    result = run_cli(["run", "backfill", "--start", start, "--end", end, "--wait"], clean, simulator_url)
    assert result.returncode == 0, result.stderr[-3000:]

    victim = subprocess.Popen([*CLI, "run", "backfill", "--start", start, "--end", end, "--wait",
                               "--concurrency", "2"], env=cli_env(crashed, simulator_url, tmp_path),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_done_partitions(crashed, at_least=3)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)
    with psycopg.connect(crashed) as conn:
        done_before = conn.execute("select count(*) from ops.pipeline_checkpoints "
                                   "where endpoint = 'games' and status = 'done'").fetchone()[0]
    assert done_before < 10, "the kill came too late to test anything"

    resumed = run_cli(["run", "backfill", "--start", start, "--end", end, "--wait"], crashed, simulator_url)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert table_checksums(crashed) == table_checksums(clean)
    with psycopg.connect(crashed) as conn:
        duplicates = conn.execute("select count(*) - count(distinct (request_key, content_hash)) "
                                  "from raw.mlb_boxscore").fetchone()[0]
        assert duplicates == 0, "raw holds no duplicate versions after the crash"
        redone = conn.execute("select count(distinct partition_key) from ops.job_log where stage = 'extract' "
                              "and status = 'succeeded' and run_id = (select max(run_id) from ops.pipeline_runs)"
                              ).fetchone()[0]
        assert redone <= 10 - done_before + 2, "the restart redid partitions that were already done"


def test_unreachable_api_fails_the_run_with_one_clear_line(dsn, run_cli):
    result = run_cli(["run", "backfill", "--start", "2024-04-01", "--end", "2024-04-01", "--wait"],
                     dsn, "http://127.0.0.1:9")
    assert result.returncode == 3, "a failed run exits 3"
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(error_lines) == 1 and "failed" in error_lines[0] and "127.0.0.1:9" in error_lines[0], error_lines
    with psycopg.connect(dsn) as conn:
        statuses = dict(conn.execute("select status, count(*) from ops.pipeline_checkpoints group by 1").fetchall())
    assert statuses == {"failed": 2}, "both partitions (teams and the date) are recorded as failed"
