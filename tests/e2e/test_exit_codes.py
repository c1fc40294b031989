"""Exit codes CI can trust, command by command and outcome by outcome (the real CLI in
process, the real worker, the simulator over HTTP): 0 only when everything asked for
succeeded; 3 a failed run, 4 a partial run (dead letters), 5 failed error quality checks.
The run's final line names its quality outcome, and a password in DATABASE_URL appears in
no line a run prints."""

from __future__ import annotations

from urllib.parse import quote

import psycopg
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.simulator.api import Simulator
from pipeline.simulator.faults import FaultPlan
from pipeline.simulator.server import start_in_thread

pytestmark = pytest.mark.e2e

DAY = "2024-04-16"
SECRET = "hunter2-not-to-be-printed"


@pytest.fixture
def sim():
    simulator = Simulator(seed=3, season=2024)
    simulator.faults = FaultPlan()
    url, stop = start_in_thread(simulator=simulator)
    simulator.url = url
    yield simulator
    stop()


@pytest.fixture
def cli(dsn, sim, monkeypatch, tmp_path):
    info = psycopg.conninfo.conninfo_to_dict(dsn)
    # the test server trusts local connections: the password is carried, never needed
    with_password = psycopg.conninfo.make_conninfo(dsn, password=SECRET)
    for name in list(__import__("os").environ):
        if name.startswith("PIPELINE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", with_password)
    monkeypatch.setenv("PIPELINE_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("PIPELINE_HOME", str(tmp_path / ".pipeline"))
    monkeypatch.setenv("PIPELINE_MLB_BASE_URL", sim.url)
    monkeypatch.setenv("PIPELINE_MLB_RATE_LIMIT", "0")
    monkeypatch.setenv("PIPELINE_MLB_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("PIPELINE_MLB_BREAKER_THRESHOLD", "0")
    monkeypatch.setenv("PIPELINE_LOG_FORMAT", "text")
    assert info.get("dbname")

    def run(*args: str):
        result = CliRunner().invoke(main, list(args))
        assert SECRET not in result.output, f"the database password was printed by {args}"
        assert "Traceback" not in result.output, result.output
        return result

    return run


def boxscore_path(sim: Simulator, index: int = 0) -> str:
    game = [g["game_pk"] for g in sim.games(*[__import__("datetime").date.fromisoformat(DAY)] * 2)
            if g["status"] == "Final"][index]
    return f"/api/v1/game/{game}/boxscore"


def final_line(result) -> str:
    return [line for line in result.output.splitlines() if line.startswith(("run ", "Error: run "))][-1]


def test_a_clean_run_exits_0_and_names_its_quality(cli):
    result = cli("run", "backfill", "--start", DAY, "--end", DAY, "--wait", "--concurrency", "2")
    assert result.exit_code == 0, result.output
    assert final_line(result).endswith("succeeded; quality passed"), final_line(result)
    status = cli("status")
    assert status.exit_code == 0
    header, first = status.output.splitlines()[1:3]
    assert "quality" in header.split() and "extracted" in header.split(), header
    assert " passed " in first, "status names the run's quality outcome"
    assert cli("quality", "run", "--start", DAY).exit_code == 0


def test_a_partial_run_exits_4_and_a_replay_that_lands_exits_0(cli, sim):
    sim.faults.always[boxscore_path(sim)] = "malformed"
    result = cli("run", "backfill", "--start", DAY, "--end", DAY, "--wait", "--concurrency", "2")
    assert result.exit_code == 4, result.output
    assert "partial: 1 dead letter(s) open" in final_line(result)
    assert "dead letters" in cli("status").output, "the run's message names its open dead letters"

    replay = cli("dlq", "replay", "--all", "--wait")  # still failing: still partial
    assert replay.exit_code == 4, replay.output
    sim.faults.always.clear()
    replay = cli("dlq", "replay", "--all", "--wait")
    assert replay.exit_code == 0, replay.output
    assert final_line(replay).endswith("succeeded; quality passed")


def test_a_failed_run_exits_3_and_its_retry_exits_0_once_the_api_answers(cli, sim, conn):
    sim.faults.always["/api/v1/schedule"] = "malformed"
    result = cli("run", "backfill", "--start", DAY, "--end", DAY, "--wait", "--concurrency", "2")
    assert result.exit_code == 3, result.output
    assert final_line(result).startswith("Error: run 1 failed:")
    message = conn.execute("select message from ops.pipeline_runs where run_id = 1").fetchone()[0]
    # the failed schedule request is a dead letter (issue 14), and the message says so
    assert "1 dead letters open" in message, message

    again = cli("run", "retry", "1", "--wait")
    assert again.exit_code == 3, again.output
    sim.faults.always.clear()
    retried = cli("run", "retry", "2", "--wait")
    assert retried.exit_code == 0, retried.output


def test_failed_error_checks_exit_5_for_runs_and_quality_run(cli, sim, conn):
    first = cli("run", "backfill", "--start", DAY, "--end", DAY, "--wait")
    assert first.exit_code == 0, first.output
    # a score that the player lines no longer add up to: runs_match_score fails for that game
    game_pk = conn.execute("select game_pk from staging.mlb_games where official_date = %s "
                           "and abstract_state = 'Final' order by game_pk limit 1", [DAY]).fetchone()[0]
    conn.execute("update staging.mlb_games set home_score = home_score + 1 where game_pk = %s", [game_pk])
    checked = cli("quality", "run", "--start", DAY, "--end", DAY)
    assert checked.exit_code == 5, checked.output
    assert str(game_pk) in checked.output, "the held-back game is named"
    restaged = cli("run", "restage", "--start", DAY, "--end", DAY, "--wait")
    assert restaged.exit_code == 0, "restaging from raw repairs the score: " + restaged.output

    # a landed answer whose batter has more hits than at-bats: well formed, so it is staged,
    # then value_ranges holds its game back; no request failed, so the run exits 5, not 4
    conn.execute("""
        update raw.mlb_boxscore as box
        set payload = jsonb_set(box.payload, array['teams', 'home', 'players', (
            select player.key from jsonb_each(box.payload -> 'teams' -> 'home' -> 'players') as player
            where (player.value -> 'stats' -> 'batting' ->> 'atBats')::integer > 0 order by player.key limit 1
        ), 'stats', 'batting', 'hits'], '99')
        where box.request_params ->> 'gamePk' = %s""", [str(game_pk)])
    bad = cli("run", "restage", "--start", DAY, "--end", DAY, "--wait")
    assert bad.exit_code == 5, bad.output
    assert "quality failed:" in final_line(bad) and "held back from curated" in final_line(bad)


def test_bad_usage_and_bad_input_keep_their_codes(cli):
    assert cli("run", "backfill", "--nope").exit_code == 2
    assert cli("run", "retry", "999").exit_code == 1
