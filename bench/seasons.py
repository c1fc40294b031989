"""Benchmark: does the cost grow linearly with the seasons loaded?

Three seasons are backfilled one after another into one database (each against its own
simulator, its answers rendered before the clock starts), so the third season is loaded
beside two already there. Prints each season's wall time and job-seconds per game, and the
three together as a multiple of the first (linear: 3.0; the target is at most 3.2).

    python bench/seasons.py                      # 2022, 2023, 2024
    python bench/seasons.py --seasons 2023 2024  # fewer
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from harness import CLI, bench_env, cli, latest_run_stages, start_simulator, timed_cli


@contextlib.contextmanager
def season_database(dsn: str | None, season: int):
    """The URL of a database holding `season`: `dsn` when given, else a new database (on an
    embedded server in a temporary home, or on DATABASE_URL's) with the season backfilled
    first (~2 min); the embedded server is stopped and its home removed afterwards."""
    if dsn:
        yield dsn
        return
    home = Path(tempfile.mkdtemp(prefix="pipeline-bench-"))
    env = bench_env(home, PIPELINE_MLB_RATE_LIMIT="0")
    try:
        loaded = cli(["db", "url"], env).strip()
        cli(["db", "migrate"], env)
        backfill_season(env, season, concurrency=4, first=True)
        yield loaded
    finally:
        subprocess.run([*CLI, "db", "stop", "--remove-data"], env=env, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def season_dates(conn, season: int) -> list:
    """The dates of `season` staged in the database `conn` reaches; exits saying so when none."""
    dates = [day for (day,) in conn.execute(
        "select distinct official_date from staging.mlb_games where season = %s order by 1", [season])]
    if not dates:
        raise SystemExit(f"no staged games of {season} in this database: backfill the season first")
    return dates


def backfill_season(env: dict, season: int, concurrency: int, first: bool) -> tuple[float, int, float]:
    """Wall seconds, worker peak RSS (KB) and worker CPU seconds of one season's backfill. The simulator serves
    one season, and each is its own source identity: the seasons after the first need
    --force to share the database (nothing of theirs is landed yet, so it refetches nothing)."""
    simulator, base_url = start_simulator(env, "--season", str(season), "--prerender", f"{season}-03-01:{season}-11-30")
    try:
        return timed_cli(["run", "backfill", "--season", str(season), "--wait", "--concurrency", str(concurrency),
                          *([] if first else ["--force"])], {**env, "PIPELINE_MLB_BASE_URL": base_url})
    finally:
        simulator.terminate()
        simulator.wait()


def run_figures(dsn: str, season: int) -> dict:
    with psycopg.connect(dsn) as conn:
        games = conn.execute("select count(*) from staging.mlb_games where season = %s", [season]).fetchone()[0]
    return {"stages": {stage["stage"]: stage for stage in latest_run_stages(dsn)}, "games": games}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seasons", type=int, nargs="+", default=[2022, 2023, 2024])
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="pipeline-bench-"))
    env = bench_env(home, PIPELINE_LOG_FORMAT="json", PIPELINE_MLB_RATE_LIMIT="0")
    results = []
    try:
        dsn = cli(["db", "url"], env).strip()
        cli(["db", "migrate"], env)
        for index, season in enumerate(args.seasons):
            wall, peak_kb, _ = backfill_season(env, season, args.concurrency, first=index == 0)
            results.append((season, wall, peak_kb, run_figures(dsn, season)))
    finally:
        subprocess.run([*CLI, "db", "stop", "--remove-data"], env=env, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)

    print(f"seasons {', '.join(map(str, args.seasons))} backfilled one after another into one database "
          f"(worker concurrency {args.concurrency}, answers prerendered)")
    print("  season  games   wall s  extract job s  transform job s  aggregate s  job s / game  peak RSS MB")
    for season, wall, peak_kb, figures in results:
        stages = figures["stages"]
        job_seconds = sum(float(stage["job_seconds"]) for stage in stages.values())
        print(f"  {season}  {figures['games']:6} {wall:8.1f} {float(stages['extract']['job_seconds']):14.1f} "
              f"{float(stages['transform']['job_seconds']):16.1f} {float(stages['aggregate']['job_seconds']):12.1f} "
              f"{job_seconds / max(figures['games'], 1) * 1000:10.1f} ms {peak_kb / 1024:11.0f}")
    first, total = results[0][1], sum(wall for _, wall, _, _ in results)
    print(f"  {len(results)} seasons: {total:.1f} s = {total / first:.2f}x the first season "
          f"(linear: {len(results):.1f}x)")


if __name__ == "__main__":
    main()
