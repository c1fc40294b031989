"""Refreshing the curated zone: the source's curated files, in the order their headers
give, over the dates and seasons a run touched (or, for a rebuild, everything staged).

A rebuild refreshes every file in one transaction. A run's aggregate refreshes them in
lanes: the files split into groups that read nothing another group writes, each lane a
transaction on a connection of its own, at the same time (a season's refresh is a few
wide statements of one core each: 5.7 s one after another, 3.3 s in two lanes). A lane
that is done with a group takes the next one not yet taken, longest first by the files'
last recorded times, so a wrong estimate (a new database has none) leaves no lane idle
while another works through a queue of its own. Each curated table is then refreshed
atomically, not all of them at once; the run closes, and its watermark moves, only after
every lane has committed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import date

from pipeline import features, queries, sqlfiles
from pipeline.db import share_among
from pipeline.sources import Source
from pipeline.stage import target_table

# A run that staged more rows than this refreshes the staging tables' planner statistics
# before aggregating: after a bulk load the planner otherwise estimates one row for tens of
# thousands and picks nested loops (a season's batting aggregate took 13.8 s, not 0.2 s).
ANALYZE_AFTER_ROWS = 5_000

log = logging.getLogger(__name__)

# A run's aggregate refreshes in this many lanes (the curated files of a season are
# single-core statements; two lanes use the two cores of a small server) once it covers
# at least LANES_FROM_DATES dates; a day's refresh stays on one connection.
CURATED_LANES = 2
LANES_FROM_DATES = 7
# a file never timed yet (a new database's first run) counts this many seconds per line of
# its template when lanes take the longest groups first: the wide feature files are the long ones
UNTIMED_SECONDS_PER_LINE = 0.01


def curated_files(source: Source) -> list[str]:
    """Every file under `curated/<source>/`, each after the curated tables it reads."""
    return [sql_file.name for sql_file in _curated_sql_files(source)]


def _curated_sql_files(source: Source) -> list[sqlfiles.SqlFile]:
    files = source.sql.files(f"curated/{source.name}/")
    return sqlfiles.in_dependency_order(files, target_table)


def curated_groups(source: Source) -> list[list[str]]:
    """The curated files in groups that read nothing another group writes (the connected
    parts of their sources/depends graph), each group in dependency order."""
    files = _curated_sql_files(source)
    by_target = {target_table(sql_file): sql_file.name for sql_file in files}
    group_of = {sql_file.name: {sql_file.name} for sql_file in files}
    for sql_file in files:
        for table in sql_file.names("sources") + sql_file.names("depends"):
            upstream = by_target.get(table)
            if upstream is not None and group_of[upstream] is not group_of[sql_file.name]:
                merged = group_of[upstream] | group_of[sql_file.name]
                for name in merged:
                    group_of[name] = merged
    groups = []
    for sql_file in files:  # in dependency order: each group ordered, listed at its first file
        members = [other.name for other in files if other.name in group_of[sql_file.name]]
        if members[0] == sql_file.name:
            groups.append(members)
    return groups


def estimated_seconds(source: Source, timed: dict[str, float]) -> dict[str, float]:
    """Each curated file's last recorded time, or for one never timed an estimate from
    its length."""
    return {sql_file.name: timed.get(sql_file.name)
            or len(sql_file.path.read_text().splitlines()) * UNTIMED_SECONDS_PER_LINE
            for sql_file in _curated_sql_files(source)}


def longest_first(groups: list[list[str]], seconds: dict[str, float]) -> list[list[str]]:
    """`groups` in the order lanes take them: the longest (by `seconds` per file) first."""
    return sorted(groups, key=lambda group: -sum(seconds[name] for name in group))


async def take_groups(pending: list[list[str]], refresh_group: Callable[[list[str]], Awaitable[int]]) -> int:
    """One lane's work: take the next group from `pending` (shared with the other lanes)
    and refresh it, until none is left; returns the rows written."""
    written = 0
    while pending:
        written += await refresh_group(pending.pop(0))
    return written


async def analyze_staging(conn, source: Source, *more_conns) -> None:
    """Fresh planner statistics for every staging table the source fills: of the columns
    its file's `statistics:` header names, else of all; with `more_conns`, the tables are
    shared among the connections and analyzed at once. (A season's batting lines took
    0.3-0.5 s on all 30 columns, 0.06 s on the five the curated files join by.)"""
    tables = [(*target_table(sql_file).split("."), sql_file.names("statistics"))
              for sql_file in source.sql.files(f"staging/{source.name}/")]

    async def analyze(lane_conn, table: tuple[str, str, list[str]]) -> None:
        schema, name, columns = table
        await queries.execute_async(lane_conn, "table_analyze", schema=schema, table=name, columns=columns)

    await share_among([conn, *more_conns], tables, analyze)


async def refresh_curated(conn, source: Source, dates: list[date], seasons: list[int],
                          run_id: int | None = None, *, rows_staged: int = 0) -> int:
    """Recompute the curated rows of `dates` and `seasons`, then check the feature rows
    recomputed (sql/quality/features/<source>/); returns the rows written (inserted,
    updated or deleted). Call it inside a transaction. `rows_staged`: what the run wrote
    to staging (a bulk load is analyzed first)."""
    written = 0
    if not dates and not seasons:
        return written
    # The refresh's settings for this transaction (queries/refresh_settings.sql): no JIT,
    # for the curated files are wide statements run once and compiling them cost more than
    # it saved (a season's refresh on PostgreSQL 15 with LLVM: 22.6 s with JIT, 10.5 s
    # without; daily_totals alone 4.9 s against 0.07 s), and work_mem for their sorts.
    await queries.execute_async(conn, "refresh_settings")
    if rows_staged > ANALYZE_AFTER_ROWS:
        await analyze_staging(conn, source)
    written += await _refresh_files(conn, source, curated_files(source), dates, seasons)
    await features.run_feature_checks(conn, source, dates, seasons, run_id)
    return written


async def refresh_curated_in_lanes(conn, source: Source, dates: list[date], seasons: list[int],
                                   open_lane: Callable[[], Awaitable], *,
                                   rows_staged: int = 0) -> tuple[int, list[tuple]]:
    """Recompute the curated rows of `dates` and `seasons` in lanes (see the module's
    docstring): `conn` (autocommit, outside a transaction) runs the first lane and
    `open_lane()` opens an autocommit connection for each other one (closed here). Once
    every lane has committed, the feature checks run on the same connections at once.
    Returns the rows written and the checks' outputs; the caller records those and closes
    the run in one transaction."""
    if not dates and not seasons:
        return 0, []
    groups = curated_groups(source)
    lanes = 1 if len(dates) < LANES_FROM_DATES else min(CURATED_LANES, len(groups))
    pending = groups
    if lanes > 1:
        cursor = await queries.execute_async(conn, "sql_timing_latest", {"names": curated_files(source)})
        pending = longest_first(groups, estimated_seconds(source, dict(await cursor.fetchall())))
    log.info("curated refresh", extra={"lanes": lanes, "dates": len(dates)})
    others = [await open_lane() for _ in range(lanes - 1)]
    try:
        if rows_staged > ANALYZE_AFTER_ROWS:
            await analyze_staging(conn, source, *others)
        # a lane that fails cancels (rolls back) the others still running
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(_refresh_lane(lane_conn, source, pending, dates, seasons))
                     for lane_conn in [conn, *others]]
        check_outputs = await features.feature_check_outputs([conn, *others], source, dates, seasons)
    finally:
        for other in others:
            await other.close()
    return sum(task.result() for task in tasks), check_outputs


async def _refresh_lane(conn, source: Source, pending: list[list[str]], dates: list[date],
                        seasons: list[int]) -> int:
    async with conn.transaction():
        await queries.execute_async(conn, "refresh_settings")
        return await take_groups(pending, lambda names: _refresh_files(conn, source, names, dates, seasons))


def refresh_params(dates: list[date], seasons: list[int]) -> dict:
    """What every curated file is run with: the dates and seasons, and the first and last
    day of those seasons and of the dates' years (bounds on a partitioned date column that
    the planner can see; they never leave out a date refreshed)."""
    years = {*seasons, *(day.year for day in dates)} or {date.today().year}
    return {"dates": dates, "seasons": seasons,
            "season_start": date(min(years), 1, 1), "season_end": date(max(years), 12, 31)}


async def _refresh_files(conn, source: Source, names: list[str], dates: list[date], seasons: list[int]) -> int:
    written = 0
    for name in names:
        cursor = await source.sql.execute_async(conn, name, refresh_params(dates, seasons))
        written += await sqlfiles.rows_written(cursor)
    return written
