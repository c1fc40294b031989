"""Benchmark: what an incremental run on an unchanged season and a 7-day lookback cost in
API requests and wall time, next to the games in their window, and against a baseline
measured in the same run: a forced backfill of the same dates (what re-loading them the
backfill way costs).

    python bench/incremental.py                                   # April-May 2024 (make bench-incremental)
    python bench/incremental.py --start 2024-04-01 --end 2024-09-29  # a whole season loaded first
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import psycopg

from harness import CLI, bench_env, cli, requests_served, start_simulator



def measured(args: list[str], env: dict, base_url: str) -> tuple[float, dict[str, int]]:
    """Wall seconds and API requests (by kind) of one CLI run."""
    before = requests_served(base_url)
    started = time.perf_counter()
    cli(args, env)
    wall = time.perf_counter() - started
    after = requests_served(base_url)
    return wall, {kind: after[kind] - before[kind] for kind in after if after[kind] - before[kind]}


def games_in(dsn: str, start: date, end: date) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute("select count(*) from staging.mlb_games where official_date between %s and %s "
                            "and abstract_state = 'Final' and coded_game_state <> 'D'", [start, end]).fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--start", default="2024-04-01")
    parser.add_argument("--end", default="2024-05-31")
    parser.add_argument("--correction-rate", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)

    home = Path(tempfile.mkdtemp(prefix="pipeline-bench-"))
    env = bench_env(home, PIPELINE_LOG_FORMAT="json")
    simulator = None
    wait = ["--wait", "--concurrency", str(args.concurrency)]
    try:
        dsn = cli(["db", "url"], env).strip()
        cli(["db", "migrate"], env)
        simulator, base_url = start_simulator(env, "--today", (end + timedelta(days=1)).isoformat(),
                                              "--correction-rate", str(args.correction_rate))
        env["PIPELINE_MLB_BASE_URL"] = base_url
        load_wall, load_requests = measured(["run", "backfill", "--start", str(start), "--end", str(end), *wait],
                                            env, base_url)

        # incremental on an unchanged league: the window is the watermark minus one day .. today
        inc_wall, inc_requests = measured(["run", "incremental", "--today", str(end), *wait], env, base_url)
        inc_start = end - timedelta(days=1)
        inc_base_wall, inc_base_requests = measured(
            ["run", "backfill", "--start", str(inc_start), "--end", str(end), "--force", *wait], env, base_url)

        # a few days later corrections have appeared; look back 7 days from `end`
        request = urllib.request.Request(f"{base_url}/__sim/clock", method="POST",
                                         data=json.dumps({"today": str(end + timedelta(days=4))}).encode())
        urllib.request.urlopen(request).read()
        look_start = end - timedelta(days=7)
        look_wall, look_requests = measured(["run", "lookback", "--days", "7", "--today", str(end), *wait],
                                            env, base_url)
        with psycopg.connect(dsn) as conn:
            changed = conn.execute("select count(*) from ops.change_log where run_id = "
                                   "(select max(run_id) from ops.pipeline_runs)").fetchone()[0]
            landed = conn.execute("select coalesce(sum(versions_added), 0) from ops.job_log where stage = 'extract' "
                                  "and run_id = (select max(run_id) from ops.pipeline_runs)").fetchone()[0]
        look_base_wall, look_base_requests = measured(
            ["run", "backfill", "--start", str(look_start), "--end", str(end), "--force", *wait], env, base_url)
        inc_games, look_games = games_in(dsn, inc_start, end), games_in(dsn, look_start, end)
    finally:
        if simulator:
            simulator.terminate()
        subprocess.run([*CLI, "db", "stop", "--remove-data"], env=env, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)

    print(f"loaded {start}..{end} first: {load_wall:.1f} s, requests {load_requests}")
    print(f"  {'run':52} {'window':22} {'games':>5}  {'requests':30} {'wall s':>7}")
    rows = [
        ("incremental, nothing changed", f"{inc_start}..{end}", inc_games, inc_requests, inc_wall),
        ("  baseline: forced backfill", f"{inc_start}..{end}", inc_games, inc_base_requests, inc_base_wall),
        (f"lookback 7 days ({landed} new versions, {changed} values changed)", f"{look_start}..{end}", look_games, look_requests, look_wall),
        ("  baseline: forced backfill", f"{look_start}..{end}", look_games, look_base_requests, look_base_wall),
    ]
    for name, window, games, requests, wall in rows:
        print(f"  {name:52} {window:22} {games:5}  {json.dumps(requests):30} {wall:7.1f}")


if __name__ == "__main__":
    main()
