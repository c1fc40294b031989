"""Benchmark: the resilience layer (shared rate limit, circuit breaker, response cache).

1. Rate-limit utilisation: a backfill against a simulator that adds realistic latency
   (50 ms per answer) under a limit of R requests/s: the achieved request rate of the
   extract stage as a fraction of R (1.0 = the bucket never idled).
2. Cost: the same clean backfill with resilience on (limiter at a rate that never binds,
   breaker on) and off (PIPELINE_MLB_RATE_LIMIT=0, PIPELINE_MLB_BREAKER_THRESHOLD=0), in
   the same run, each into a fresh database, alternated to spread the machine's noise.

    python bench/resilience.py                       # make bench-resilience
    python bench/resilience.py --rate 20 --days 7 --repeat 2
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

from pipeline import queries

from harness import CLI, bench_env, cli, start_simulator

START = date(2024, 4, 8)


def fresh_database(admin_dsn: str, name: str) -> str:
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f"drop database if exists {name}")
        conn.execute(f"create database {name}")
    info = psycopg.conninfo.conninfo_to_dict(admin_dsn)
    info["dbname"] = name
    dsn = psycopg.conninfo.make_conninfo(**info)
    return dsn


def backfill(env: dict, days: int, concurrency: int) -> tuple[float, dict]:
    """Wall seconds of `run backfill --wait` and the extract stage's timings."""
    cli(["db", "migrate"], env)
    end = START + timedelta(days=days - 1)
    started = time.perf_counter()
    cli(["run", "backfill", "--start", START.isoformat(), "--end", end.isoformat(), "--wait",
         "--concurrency", str(concurrency)], env)
    wall = time.perf_counter() - started
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        run_id = conn.execute("select max(run_id) from ops.pipeline_runs").fetchone()[0]
        cursor = queries.execute(conn, "run_stage_timings", {"run_id": run_id})
        stages = {row[0]: {column.name: value for column, value in zip(cursor.description, row)}
                  for row in cursor.fetchall()}
    return wall, stages["extract"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=20.0, help="the limit for the utilisation figure (req/s)")
    parser.add_argument("--burst", type=float, default=5.0)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--days", type=int, default=7, help="days backfilled per run")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=2, help="on/off pairs for the cost figure")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="pipeline-bench-"))
    base = bench_env(home, PIPELINE_LOG_FORMAT="json")
    processes = []
    try:
        admin = cli(["db", "url"], base).strip()
        slow, slow_url = start_simulator(base, "--latency-ms", str(args.latency_ms))
        fast, fast_url = start_simulator(base)
        processes += [slow, fast]

        env = {**base, "DATABASE_URL": fresh_database(admin, "bench_rate"), "PIPELINE_MLB_BASE_URL": slow_url,
               "PIPELINE_MLB_RATE_LIMIT": str(args.rate), "PIPELINE_MLB_RATE_BURST": str(args.burst)}
        wall, extract = backfill(env, args.days, args.concurrency)
        with urllib.request.urlopen(f"{slow_url}/__sim/stats") as response:
            served = json.load(response)["total"]
        achieved = served / float(extract["wall_seconds"])
        print(f"rate limit {args.rate:g} req/s (burst {args.burst:g}), simulator latency {args.latency_ms:g} ms, "
              f"{args.days} days, worker concurrency {args.concurrency}")
        print(f"  {served} requests in an extract stage of {float(extract['wall_seconds']):.1f} s: "
              f"{achieved:.1f} req/s = {achieved / args.rate:.2f} of the limit")

        timings: dict[str, list[tuple[float, float]]] = {"on": [], "off": []}
        for repeat in range(args.repeat):
            for mode in ("off", "on"):
                switches = ({"PIPELINE_MLB_RATE_LIMIT": "100000", "PIPELINE_MLB_RATE_BURST": "1000"} if mode == "on"
                            else {"PIPELINE_MLB_RATE_LIMIT": "0", "PIPELINE_MLB_BREAKER_THRESHOLD": "0"})
                env = {**base, **switches, "PIPELINE_MLB_BASE_URL": fast_url,
                       "DATABASE_URL": fresh_database(admin, f"bench_{mode}_{repeat}")}
                wall, extract = backfill(env, args.days * 2, args.concurrency)
                timings[mode].append((wall, float(extract["job_seconds"]) / int(extract["requests"])))
        print(f"clean backfill of {args.days * 2} days, no latency, resilience off vs on "
              f"(best of {args.repeat}, alternated):")
        best = {mode: min(runs) for mode, runs in timings.items()}
        for mode in ("off", "on"):
            wall, per_request = best[mode]
            print(f"  {mode:3}: wall {wall:.2f} s, extract job time per request {per_request * 1000:.2f} ms")
        print(f"  cost of resilience: {best['on'][0] / best['off'][0] - 1:+.1%} wall, "
              f"{(best['on'][1] - best['off'][1]) * 1000:+.2f} ms of extract job time per request")
    finally:
        for process in processes:
            process.terminate()
        subprocess.run([*CLI, "db", "stop", "--remove-data"], env=base, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
