"""Resilience, end to end: the real CLI and workers against a faulty, rate-limited or
down simulator over HTTP, and workers killed with SIGKILL. Each run must end with exactly
the tables of a clean run, or with its failures listed in the dead-letter queue."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import time
import urllib.request
from bisect import bisect_left
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import psycopg
import pytest

from pipeline.simulator.api import Simulator
from pipeline.simulator.faults import FaultPlan
from pipeline.simulator.server import start_in_thread
from tests.e2e.conftest import CLI, SEASON, SEED, cli_env, table_checksums

pytestmark = pytest.mark.e2e

START, END = "2024-04-08", "2024-04-21"  # two weeks: ~200 box scores


@contextmanager
def simulator(*options: str):
    """The simulator as a subprocess with fault options; yields (base_url, stats())."""
    process = subprocess.Popen([*CLI, "simulate", "serve", "--port", "0", "--seed", str(SEED),
                                "--season", str(SEASON), *options], stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline().strip()
    assert line.startswith("simulator listening on "), f"simulator did not start: {line!r}"
    url = line.rsplit(" ", 1)[-1]

    def stats() -> dict:
        with urllib.request.urlopen(f"{url}/__sim/stats") as response:
            return json.load(response)

    try:
        yield url, stats
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def clean_run(pg_server, template_db, simulator_url, tmp_path_factory):
    """Checksums and raw counts of a fault-free backfill of START..END, made once."""
    name = f"pipeline_clean_{random.getrandbits(40):x}"
    janitor = pg_server.janitor(name, template_dbname=template_db)
    janitor.init()
    dsn = pg_server.dsn(name)
    result = subprocess.run([*CLI, "run", "backfill", "--start", START, "--end", END, "--wait"],
                            env=cli_env(dsn, simulator_url, tmp_path_factory.mktemp("clean")),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    with psycopg.connect(dsn) as conn:
        boxscores = conn.execute("select count(*) from raw.mlb_boxscore").fetchone()[0]
    yield table_checksums(dsn), boxscores
    janitor.drop()


def scalar(dsn: str, query: str, params=None):
    with psycopg.connect(dsn) as conn:
        return conn.execute(query, params).fetchone()[0]


def test_backfill_under_ten_percent_faults_equals_a_clean_run(dsn, run_cli, clean_run):
    checksums, boxscores = clean_run
    with simulator("--fault-rate", "0.1") as (url, stats):
        result = run_cli(["run", "backfill", "--start", START, "--end", END, "--wait"], dsn, url,
                         PIPELINE_MLB_TIMEOUT="1")
        served = stats()
    assert result.returncode == 0, result.stderr[-3000:]
    assert table_checksums(dsn) == checksums, "a run under faults must give the tables of a clean run"
    assert set(served["faults"]) >= {"429", "500", "503", "timeout", "reset", "truncated", "malformed"}, served
    landed = scalar(dsn, "select (select count(*) from raw.mlb_boxscore) + (select count(*) from raw.mlb_schedule)"
                         " + (select count(*) from raw.mlb_teams)")
    assert scalar(dsn, "select count(*) from raw.mlb_boxscore") == boxscores
    assert served["total"] >= landed + sum(served["faults"].values()), \
        "every faulty answer was retried: the simulator served one request per landed response plus one per fault"
    assert scalar(dsn, "select count(*) from ops.dead_letters") == 0


def test_outage_opens_the_breaker_which_closes_after_and_the_run_completes(make_database, run_cli):
    window = ["run", "backfill", "--start", "2024-04-08", "--end", "2024-04-12", "--wait"]
    slow = {"PIPELINE_MLB_RATE_LIMIT": "20", "PIPELINE_MLB_RATE_BURST": "5"}  # the run outlasts the outage start
    with_breaker, without_breaker = make_database(), make_database()
    with simulator("--outage", "1.5:5") as (url, stats):
        result = run_cli(window, with_breaker, url, PIPELINE_MLB_BREAKER_THRESHOLD="5",
                         PIPELINE_MLB_BREAKER_COOLDOWN="1", **slow)
        calls_with = stats()["faults"].get("outage", 0)
    with simulator("--outage", "1.5:5") as (url, stats):
        run_cli(window, without_breaker, url, PIPELINE_MLB_BREAKER_THRESHOLD="0", **slow)
        calls_without = stats()["faults"].get("outage", 0)

    assert result.returncode == 0, result.stderr[-3000:]
    with psycopg.connect(with_breaker) as conn:
        state, times_opened = conn.execute(
            "select state, times_opened from ops.circuit_breakers where source = 'mlb'").fetchone()
    assert times_opened >= 1, "the outage must open the breaker"
    assert state == "closed", "a successful half-open probe closes the breaker after the outage"
    status = run_cli(["status"], with_breaker, "http://unused")
    assert "Sources (circuit breaker, rate limit)" in status.stdout and "closed" in status.stdout, status.stdout
    assert calls_with < calls_without, \
        f"with the breaker open the workers stop calling: {calls_with} calls in the outage vs {calls_without} without"


def test_permanent_failures_go_to_the_dlq_and_replay_completes_them(dsn, run_cli):
    day = date(2024, 4, 16)
    sim = Simulator(seed=SEED, season=SEASON)
    played = sorted(g["game_pk"] for g in sim.games(day, day) if g["status"] == "Final" and g.get("away_score") is not None)
    missing, broken = f"/api/v1/game/{played[0]}/boxscore", f"/api/v1/game/{played[1]}/boxscore"
    sim.faults = FaultPlan(always={missing: "404", broken: "malformed"})
    url, stop = start_in_thread(simulator=sim)
    try:
        first = run_cli(["run", "backfill", "--start", day.isoformat(), "--end", day.isoformat(), "--wait"], dsn, url)
        assert first.returncode == 4, "a run with dead letters is partial: exit 4"
        with psycopg.connect(dsn) as conn:
            letters = {key: (cls, message, attempts) for key, cls, message, attempts in conn.execute(
                "select request_key, error_class, error_message, attempts from ops.dead_letters "
                "where resolved_at is null")}
        assert set(letters) == {missing, broken}
        assert letters[missing][0] == "ItemFailed" and "HTTP 404" in letters[missing][1]
        assert letters[broken][0] == "BadBody" and "not JSON" in letters[broken][1]
        listed = run_cli(["dlq", "list"], dsn, url)
        assert listed.returncode == 0 and missing in listed.stdout and broken in listed.stdout
        letter_id = scalar(dsn, "select dead_letter_id from ops.dead_letters where request_key = %s", [missing])
        shown = run_cli(["dlq", "show", str(letter_id)], dsn, url)
        assert "HTTP 404" in shown.stdout and "ItemFailed" in shown.stdout
        refused = run_cli(["dlq", "replay"], dsn, url)
        assert refused.returncode != 0 and "Error: give either --id N or --all" in refused.stderr

        sim.faults.always.clear()  # the fault is gone
        replay = run_cli(["dlq", "replay", "--all", "--wait"], dsn, url)
    finally:
        stop()
    assert replay.returncode == 0, replay.stderr[-3000:]
    with psycopg.connect(dsn) as conn:
        assert conn.execute("select count(*) from ops.dead_letters where resolution = 'landed'").fetchone()[0] == 2
        landed = {pk for (pk,) in conn.execute("select distinct game_pk from staging.mlb_player_batting")}
        assert landed == set(played), "the replay landed and transformed the two missing box scores"
        assert conn.execute("select status from ops.pipeline_checkpoints where endpoint = 'games'").fetchone()[0] == "done"
    assert "(no dead letters)" in run_cli(["dlq", "list"], dsn, url).stdout


def _start_worker(dsn: str, url: str, home: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([*CLI, "worker", "--concurrency", "2"], env={**cli_env(dsn, url, home), **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for_run(dsn: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = scalar(dsn, "select status from ops.pipeline_runs order by run_id desc limit 1")
        if status != "running":
            return status
        time.sleep(0.5)
    raise AssertionError(f"the run did not end within {timeout}s")


def test_chaos_workers_killed_at_random_end_with_the_clean_tables(dsn, run_cli, simulator_url, clean_run, tmp_path):
    checksums, boxscores = clean_run
    planned = run_cli(["run", "backfill", "--start", START, "--end", END], dsn, simulator_url)
    assert planned.returncode == 0, planned.stderr[-3000:]
    slow = {"PIPELINE_MLB_RATE_LIMIT": "30", "PIPELINE_MLB_RATE_BURST": "5"}  # long enough to kill mid-run
    workers = [_start_worker(dsn, simulator_url, tmp_path, slow) for _ in range(3)]
    chaos = random.Random(4)
    kills = 0
    try:
        for _ in range(4):
            time.sleep(chaos.uniform(1.0, 2.5))
            if scalar(dsn, "select status from ops.pipeline_runs") != "running":
                break
            victim = chaos.randrange(len(workers))
            workers[victim].send_signal(signal.SIGKILL)
            workers[victim].wait(timeout=10)
            kills += 1
            workers[victim] = _start_worker(dsn, simulator_url, tmp_path, slow)
        assert kills >= 2, "the run ended before the chaos could start: slow it down"
        status = _wait_for_run(dsn, timeout=240)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    assert status == "succeeded"
    assert table_checksums(dsn) == checksums, "workers killed at random must not change the final tables"
    with psycopg.connect(dsn) as conn:
        duplicates = conn.execute("select count(*) - count(distinct (request_key, partition_date, content_hash)) "
                                  "from raw.mlb_boxscore").fetchone()[0]
        assert duplicates == 0, "raw holds no duplicate versions"
        assert conn.execute("select count(*) from raw.mlb_boxscore").fetchone()[0] == boxscores, \
            "one raw version per box score, as in the clean run"
        not_done = conn.execute("select count(*) from ops.run_partitions as planned join ops.pipeline_checkpoints "
                                "using (source, endpoint, partition_key) where status <> 'done'").fetchone()[0]
        assert not_done == 0, "no partition is lost"


class TimedSimulator(Simulator):
    """Records when each API request arrived."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.arrivals: list[float] = []

    def handle(self, method, path, query, headers=None, body=None):
        if not path.startswith("/__sim"):
            self.arrivals.append(time.monotonic())
        return super().handle(method, path, query, headers, body)


def test_three_workers_share_the_rate_limit_and_keep_it_busy(dsn, run_cli, tmp_path):
    rate, burst = 8, 2
    sim = TimedSimulator(seed=SEED, season=SEASON)
    url, stop = start_in_thread(simulator=sim)
    limit = {"PIPELINE_MLB_RATE_LIMIT": str(rate), "PIPELINE_MLB_RATE_BURST": str(burst)}
    try:
        planned = run_cli(["run", "backfill", "--start", "2024-04-08", "--end", "2024-04-11"], dsn, url)
        assert planned.returncode == 0, planned.stderr[-3000:]
        workers = [_start_worker(dsn, url, tmp_path, limit) for _ in range(3)]
        try:
            assert _wait_for_run(dsn, timeout=180) == "succeeded"
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=30)
    finally:
        stop()
    arrivals = sorted(sim.arrivals)
    assert len(arrivals) > 40, "the run must make enough requests to measure a rate"
    busiest = max(bisect_left(arrivals, t + 1.0) - i for i, t in enumerate(arrivals))
    # tokens are granted within rate + burst per second; a send delayed by a few ms can
    # carry one more into a window at the server, never two while the delay stays < 1/rate
    assert busiest <= rate + burst + 1, f"{busiest} requests in one second with a limit of {rate}/s, burst {burst}"
    achieved = (len(arrivals) - burst) / (arrivals[-1] - arrivals[0])
    assert achieved >= 0.5 * rate, f"achieved {achieved:.1f} req/s of {rate}: the workers left the bucket idle"


def test_overlapping_and_repeated_backfills_do_shared_partitions_once(dsn, run_cli, tmp_path):
    sim = Simulator(seed=SEED, season=SEASON)
    first, second = ("2024-04-08", "2024-04-11"), ("2024-04-10", "2024-04-13")
    with simulator() as (url, stats):
        for start, end in (first, second, first):  # overlapping, and the same one twice
            planned = run_cli(["run", "backfill", "--start", start, "--end", end], dsn, url)
            assert planned.returncode == 0, planned.stderr[-3000:]
        workers = [_start_worker(dsn, url, tmp_path, {}) for _ in range(2)]
        try:
            deadline = time.monotonic() + 180
            while scalar(dsn, "select count(*) from ops.pipeline_runs where status = 'running'") and \
                    time.monotonic() < deadline:
                time.sleep(0.5)
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=30)
        served = stats()["requests"]
    with psycopg.connect(dsn) as conn:
        statuses = [status for (status,) in conn.execute("select status from ops.pipeline_runs order by run_id")]
    assert statuses == ["succeeded"] * 3
    finals = [g for g in sim.games(date(2024, 4, 8), date(2024, 4, 13))
              if g["status"] == "Final" and g.get("away_score") is not None]
    assert served == {"schedule": 6, "boxscore": len(finals), "teams": 1, "other": 0}, \
        "each shared partition was fetched once, whichever runs asked for it"
