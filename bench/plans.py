"""Benchmark: every SQL file a run executes, planned and run on a loaded season.

Each file runs under EXPLAIN (ANALYZE) in a transaction that is rolled back: the curated
files and the feature checks over the whole season (as a backfill's aggregate runs them:
no JIT, work_mem of 32 MB or more), the staging files, the quality checks and the raw
shape checks for one date (as a transform runs them). For each it prints the execution
time and what the plan should not do:

- "per row": a scan (not an index lookup) or a subplan executed 1,000 times or more and
  costing 20 ms or more, such as a view evaluated once per staged line;
- "blind nested loop": a nested loop producing 10,000 rows or more that the planner
  expected to be 100 times smaller (statistics stale after a bulk load) and whose inner
  side, neither an index lookup nor a function, costs 20 ms or more (a 1-row CTE or a generate_series per
  row is how the feature files are meant to run);
- "other seasons": a read of a yearly or monthly partition of another season.

    python bench/plans.py                       # backfills the 2024 season first (~2 min)
    python bench/plans.py --dsn URL             # a database that holds a season already
    python bench/plans.py --dsn URL --date 2024-07-04
"""

from __future__ import annotations

import argparse
import json
import re
from datetime import date

import psycopg
from psycopg.types.string import TextLoader

from pipeline import curate, features, queries, quality, sources, sqlfiles, stage

from seasons import season_database, season_dates

PER_ROW_LOOPS = 1_000
PER_ROW_MS = 20.0
BLIND_ROWS = 10_000
BLIND_FACTOR = 100
_SEASON_OF_PARTITION = re.compile(r"_y(\d{4})(?:m\d{2})?$")
# PostgreSQL 15 writes a MERGE's tuple counts into its "Target Tables" list as bare
# key-value pairs (not JSON); they are dropped before parsing (the counts are not used)
_MERGE_COUNTS = re.compile(r',\s*"Tuples \w+": \d+')


def parse_plan(text: str) -> dict:
    try:
        return json.loads(text)[0]
    except json.JSONDecodeError:
        return json.loads(_MERGE_COUNTS.sub("", text))[0]


def plan_flags(plan: dict, season: int) -> list[str]:
    """What the executed plan `plan` (EXPLAIN ANALYZE, JSON) does that it should not."""
    flags: list[str] = []
    other_seasons: set[str] = set()

    def walk(node: dict) -> None:
        loops = node.get("Actual Loops", 1)
        total_ms = node.get("Actual Total Time", 0.0) * loops
        kind = node["Node Type"]
        relation = node.get("Relation Name", "")
        is_subplan = node.get("Parent Relationship") == "SubPlan"
        is_lookup = kind.startswith(("Index", "Bitmap"))
        if loops >= PER_ROW_LOOPS and total_ms >= PER_ROW_MS and (is_subplan or not is_lookup):
            flags.append(f"per row: {kind} {relation}".rstrip() + f" x{loops:,} ({total_ms:.0f} ms)")
        rows = node.get("Actual Rows", 0) * loops
        expected = node.get("Plan Rows", 0) * loops
        if kind == "Nested Loop" and rows >= BLIND_ROWS and expected * BLIND_FACTOR <= rows:
            inner = node["Plans"][1]
            inner_ms = inner.get("Actual Total Time", 0.0) * inner.get("Actual Loops", 1)
            if inner_ms >= PER_ROW_MS and not inner["Node Type"].startswith(("Index", "Bitmap", "Function Scan")):
                flags.append(f"blind nested loop: expected {expected:,.0f} rows, got {rows:,.0f}; "
                             f"its inner {inner['Node Type']} took {inner_ms:.0f} ms")
        found = _SEASON_OF_PARTITION.search(relation)
        if found and int(found.group(1)) != season and (rows or node.get("Rows Removed by Filter")):
            other_seasons.add(relation)
        for child in node.get("Plans", []):
            walk(child)

    walk(plan)
    if other_seasons:
        flags.append(f"other seasons: {', '.join(sorted(other_seasons))}")
    return flags


def check_file(conn, tree, name: str, values: dict, *, as_refresh: bool) -> tuple[float | None, list[str]]:
    text = tree.render(name)
    missing = [param for param in sqlfiles.parameters(text) if param not in values]
    if missing:
        return None, [f"not run: needs %({missing[0]})s"]
    try:
        with conn.transaction(force_rollback=True):
            if as_refresh:  # the settings of the aggregate's transactions: no JIT, work_mem
                queries.execute(conn, "refresh_settings")
            bound = {param: values[param] for param in sqlfiles.parameters(text)}
            result = parse_plan(conn.execute(f"explain (analyze, format json) {text}", bound).fetchone()[0])
    except psycopg.Error as exc:
        return None, [f"failed: {str(exc).strip().splitlines()[0]}"]
    return result["Execution Time"], plan_flags(result["Plan"], values["season"])


def busiest_date(conn, season: int) -> date:
    return conn.execute("select official_date from staging.mlb_games where season = %s group by 1 "
                        "order by count(*) desc, 1 limit 1", [season]).fetchone()[0]


def check_all(dsn: str, season: int, day: date | None) -> list[tuple[str, str, float | None, list[str]]]:
    source = sources.get("mlb")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.adapters.register_loader("json", TextLoader)  # parsed here (see parse_plan)
        dates = season_dates(conn, season)
        day = day or busiest_date(conn, season)
        run_id = conn.execute("select max(run_id) from ops.pipeline_runs").fetchone()[0]
        season_values = {**curate.refresh_params(dates, [season]), "season": season, "run_id": run_id}
        date_values = {"partition_date": day, "season": season, "run_id": run_id}
        results = []
        for name in curate.curated_files(source):
            results.append(("aggregate", name, *check_file(conn, source.sql, name, season_values, as_refresh=True)))
        for check in features.feature_checks(source):
            values = {**season_values, "threshold": check.threshold}
            results.append(("aggregate", check.name, *check_file(conn, source.sql, check.name, values, as_refresh=True)))
        for endpoint in source.dated_endpoints:
            for name in source.raw_shapes.get(endpoint, ()):
                results.append((f"transform {day}", name,
                                *check_file(conn, source.queries, name, date_values, as_refresh=False)))
            for name in stage.staging_files(source, endpoint):
                results.append((f"transform {day}", name,
                                *check_file(conn, source.sql, name, date_values, as_refresh=False)))
        for check in quality.checks(source):
            values = {**date_values, "threshold": check.threshold}
            results.append((f"transform {day}", check.name,
                            *check_file(conn, source.sql, check.name, values, as_refresh=False)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dsn", help="a database holding a backfilled season (else one is loaded first)")
    parser.add_argument("--season", type=int, default=2024)
    parser.add_argument("--date", type=date.fromisoformat, help="the date the transform files run for "
                                                                  "(default: the season's busiest)")
    args = parser.parse_args()

    with season_database(args.dsn, args.season) as dsn:
        results = check_all(dsn, args.season, args.date)

    width = max(len(name) for _, name, _, _ in results)
    print(f"plans of every file a run executes, season {args.season} (EXPLAIN ANALYZE, rolled back)")
    print(f"  {'stage':22} {'file':{width}} {'ms':>8}  findings")
    for stage_label, name, ms, flags in results:
        shown = f"{ms:8.1f}" if ms is not None else f"{'-':>8}"
        print(f"  {stage_label:22} {name:{width}} {shown}  {'; '.join(flags) or 'ok'}")
    flagged = sum(1 for *_, flags in results if flags)
    print(f"  {len(results)} files, {flagged} with findings")


if __name__ == "__main__":
    main()
