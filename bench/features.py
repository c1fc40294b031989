"""Benchmark: the point-in-time feature tables of a full season.

Loads a simulated season through the real CLI into a new database (on an embedded server
in a temporary home, or on DATABASE_URL's server; `seasons.season_database`), or uses the
database of --dsn that already holds one, then times, each --repeat times:

- from scratch: the feature tables and the per-game fantasy points emptied, then the five
  curated files that fill them (fantasy_points_game, features_batting, features_context,
  features_fantasy, features_pitching) over every staged date, in one transaction, as the
  aggregate job runs them;
- one day's incremental update: the rows as of the season's last date removed, then the
  files over that one date (what an incremental run's aggregate does for a new day);
- a correction mid-season (--correction-date): the files over that date, which recompute
  every as-of date after it for the rest of the season.

    python bench/features.py                      # backfill the 2024 season, then time
    python bench/features.py --dsn postgresql://...   # a database already holding a season
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date

import psycopg

from pipeline import curate, queries, sqlfiles
from pipeline.curate import curated_files
from pipeline.sources import mlb

from seasons import season_database, season_dates

FILES = [name for name in curated_files(mlb.SOURCE) if "/features_" in name or name.endswith("/fantasy_points_game")]
TABLES = ["curated.mlb_fantasy_points_game", "curated.mlb_features_batting", "curated.mlb_features_pitching",
          "curated.mlb_features_fantasy", "curated.mlb_features_context"]


def refresh(conn, dates: list[date], seasons: list[int]) -> dict[str, float]:
    """Run the feature files over `dates` in one transaction, with the parameters and the
    settings the aggregate runs them with; seconds per file."""
    seconds = {}
    with conn.transaction():
        queries.execute(conn, "refresh_settings")
        for name in FILES:
            started = time.perf_counter()
            sqlfiles.execute(conn, name, curate.refresh_params(dates, seasons)).fetchall()
            seconds[name.rsplit("/", 1)[-1]] = time.perf_counter() - started
    return seconds


def show(label: str, runs: list[dict[str, float]]) -> None:
    totals = [sum(run.values()) for run in runs]
    best = runs[totals.index(min(totals))]
    print(f"{label}: best {min(totals):.2f} s, median {statistics.median(totals):.2f} s of {len(runs)} "
          f"({', '.join(f'{name} {value:.2f}' for name, value in best.items())})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dsn", help="A migrated database already holding a season (default: load one).")
    parser.add_argument("--season", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--correction-date", type=date.fromisoformat, default=None,
                        help="A date mid-season to time a correction from (default: the season's middle date).")
    args = parser.parse_args()
    with season_database(args.dsn, args.season) as dsn:
        measure(dsn, args)


def measure(dsn: str, args) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        dates = season_dates(conn, args.season)
        counts = conn.execute("select (select count(*) from staging.mlb_player_batting where season = %(s)s), "
                              "(select count(*) from staging.mlb_player_pitching where season = %(s)s)",
                              {"s": args.season}).fetchone()
        print(f"season {args.season}: {len(dates)} dates, {counts[0]} batting and {counts[1]} pitching lines; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        scratch, day, correction = [], [], []
        for _ in range(args.repeat):
            conn.execute(f"truncate {', '.join(TABLES)}")
            conn.execute(f"analyze {', '.join(TABLES)}")
            scratch.append(refresh(conn, dates, [args.season]))
        conn.execute(f"analyze {', '.join(TABLES)}")
        rows = {table: conn.execute(f"select count(*) from {table}").fetchone()[0] for table in TABLES}
        print("rows: " + ", ".join(f"{table} {count}" for table, count in rows.items()))
        last = dates[-1]
        for _ in range(args.repeat):
            for table in TABLES[1:]:
                conn.execute(f"delete from {table} where as_of_date = %s", [last])
            conn.execute("delete from curated.mlb_fantasy_points_game where official_date = %s", [last])
            day.append(refresh(conn, [last], [args.season]))
        middle = args.correction_date or dates[len(dates) // 2]
        for _ in range(args.repeat):
            correction.append(refresh(conn, [middle], [args.season]))
    show("full season from scratch", scratch)
    show(f"one day's incremental update ({last})", day)
    show(f"a correction on {middle} (every as-of date after it recomputed, nothing rewritten)", correction)


if __name__ == "__main__":
    main()
