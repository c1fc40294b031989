"""Benchmark: the curated files as at a season's first load, under the aggregate's
transaction settings (queries/refresh_settings: no JIT, work_mem of 32 MB or more)
against the same with the server's own work_mem, alternated in the same run.

Each file runs with its target table emptied first, in a transaction that is rolled back,
with the parameters a backfill of the season binds.

    python bench/first_load.py                  # backfills the 2024 season first (~2 min)
    python bench/first_load.py --dsn URL        # a database that holds a season already
    python bench/first_load.py --dsn URL --rounds 6
"""

from __future__ import annotations

import argparse
import statistics
import time

import psycopg

from pipeline import curate, queries, sources
from pipeline.stage import target_table

from seasons import season_database, season_dates

LARGEST = ("features_fantasy", "features_batting", "features_pitching", "fantasy_points_game", "fantasy_points_daily")


def run_once(conn, text: str, table: str, params: dict, refresh_settings: bool) -> float:
    with conn.transaction(force_rollback=True):
        conn.execute("set local jit = off")  # as before the change: only work_mem differs
        if refresh_settings:
            queries.execute(conn, "refresh_settings")
        conn.execute(f"truncate {table}")
        started = time.perf_counter()
        conn.execute(text, params)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dsn", help="a database holding a backfilled season (else one is loaded first)")
    parser.add_argument("--season", type=int, default=2024)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    source = sources.get("mlb")
    with season_database(args.dsn, args.season) as dsn, psycopg.connect(dsn, autocommit=True) as conn:
        dates = season_dates(conn, args.season)
        server_work_mem = conn.execute("show work_mem").fetchone()[0]
        params = curate.refresh_params(dates, [args.season])
        print(f"curated files at a first load of {args.season}, {args.rounds} rounds each, alternated; "
              f"seconds, median (runs)")
        totals = {False: 0.0, True: 0.0}
        files = {sql_file.name: sql_file for sql_file in source.sql.files("curated/mlb/")}
        for name in (f"curated/mlb/{name}" for name in LARGEST):
            text, table = source.sql.render(name), target_table(files[name])
            runs = {False: [], True: []}
            for round_ in range(args.rounds):
                for refresh_settings in ((False, True) if round_ % 2 == 0 else (True, False)):
                    runs[refresh_settings].append(run_once(conn, text, table, params, refresh_settings))
            medians = {key: statistics.median(values) for key, values in runs.items()}
            for key in totals:
                totals[key] += medians[key]
            print(f"  {name:34} work_mem {server_work_mem}: {medians[False]:5.2f} "
                  f"({', '.join(f'{v:.2f}' for v in runs[False])});  refresh settings: {medians[True]:5.2f} "
                  f"({', '.join(f'{v:.2f}' for v in runs[True])})")
        print(f"  the five files: {totals[False]:.2f} s with work_mem {server_work_mem}, {totals[True]:.2f} s with the "
              f"refresh settings = {totals[True] / totals[False]:.2f} of it")


if __name__ == "__main__":
    main()
