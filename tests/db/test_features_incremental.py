"""Feature tables under every run mode: after a backfill, an incremental run and a
lookback that merges stat corrections, the features of the dates before the earliest
corrected date are untouched, later ones follow the corrections, and every feature table
equals a full rebuild from staging."""

from __future__ import annotations

import asyncio
from datetime import date

from pipeline.runs.incremental import plan_incremental
from pipeline.runs.lookback import plan_lookback
from pipeline.runs.rebuild import rebuild
from pipeline.simulator.api import Simulator
from pipeline.sources import mlb
from tests.db.test_incremental_lookback import CountingTransport, backfill, base_url, run  # noqa: F401

TABLES = ["curated.mlb_features_batting", "curated.mlb_features_pitching", "curated.mlb_features_fantasy",
          "curated.mlb_features_context", "curated.mlb_fantasy_points_game"]


def snapshot(conn) -> dict[str, dict[str, str]]:
    """Every row of the feature tables: row text (without updated_at) -> the first as-of
    date that reads it (a feature row's own date; a game's points: the day after the game)."""
    out = {}
    for table in TABLES:
        date_column = "official_date + 1" if table.endswith("points_game") else "as_of_date"
        for day, row in conn.execute(f"select {date_column}, (to_jsonb(t) - 'updated_at')::text from {table} as t"):
            out.setdefault(table, {})[row] = day
    return out


def rows_by_date(snap: dict, before: date | None = None, after: date | None = None) -> set[tuple[str, str]]:
    return {(table, row) for table, found in snap.items() for row, day in found.items()
            if (before is None or day <= before) and (after is None or day > after)}


def test_a_lookback_correction_changes_the_features_after_its_date_only_and_equals_a_rebuild(dsn, conn, base_url):
    sim = Simulator(seed=5, season=2024, today=date(2024, 4, 8), correction_rate=0.4)
    transport = CountingTransport(sim)
    backfill(dsn, transport, date(2024, 4, 1), date(2024, 4, 5))
    run(dsn, transport, plan_incremental(dsn, mlb.SOURCE, date(2024, 4, 7)))
    before = snapshot(conn)
    assert all(before.get(table) for table in TABLES), "every feature table holds rows"

    sim.set_today(date(2024, 4, 12))
    run_id = run(dsn, transport, plan_lookback(dsn, mlb.SOURCE, date(2024, 4, 12), days=8))

    corrected = [day for (day,) in conn.execute(
        "select distinct partition_date from ops.change_log where run_id = %s "
        "and table_name in ('staging.mlb_player_batting', 'staging.mlb_player_pitching') order by 1", [run_id])]
    assert corrected and corrected[0] <= date(2024, 4, 7), "the lookback merged corrections to games already loaded"
    first = corrected[0]
    after = snapshot(conn)
    assert rows_by_date(after, before=first) == rows_by_date(before, before=first), \
        f"no feature row as of {first} or earlier changed: they do not read games on or after {first}"
    changed = rows_by_date(after, after=first) - rows_by_date(before, after=first)
    assert changed, f"feature rows after {first} follow the corrections"
    assert {table for table, _ in changed} >= {"curated.mlb_features_batting", "curated.mlb_features_fantasy"}

    asyncio.run(rebuild(dsn, mlb.SOURCE, "curated"))
    assert snapshot(conn) == after, "after backfill, incremental and lookback the feature tables equal a full rebuild"


def test_a_new_day_recomputes_only_the_features_from_that_day_on(dsn, conn, base_url):
    sim = Simulator(seed=5, season=2024, today=date(2024, 4, 6))
    transport = CountingTransport(sim)
    backfill(dsn, transport, date(2024, 4, 1), date(2024, 4, 5))
    stamps = dict(conn.execute("select (player_id, as_of_date)::text, updated_at from curated.mlb_features_batting"))

    sim.set_today(date(2024, 4, 7))
    run_id = run(dsn, transport, plan_incremental(dsn, mlb.SOURCE, date(2024, 4, 7)))

    refreshed = conn.execute("select curated_dates from ops.pipeline_runs where run_id = %s", [run_id]).fetchone()[0]
    first = min(refreshed)
    now = dict(conn.execute("select (player_id, as_of_date)::text, updated_at from curated.mlb_features_batting"))
    as_of = lambda key: date.fromisoformat(key.strip("()").split(",")[1])  # noqa: E731
    assert all(now[key] == stamp for key, stamp in stamps.items() if as_of(key) < first), \
        f"no row as of a date before {first} (the earliest date the run touched) was rewritten"
    assert {as_of(key) for key in now.keys() - stamps.keys()} == {date(2024, 4, 6), date(2024, 4, 7)}, \
        "the run added the rows as of its new days"
    assert conn.execute("select count(*) from curated.mlb_features_batting where as_of_date = '2024-04-07'"
                        ).fetchone()[0] > 0, "the new day has its features"
    before_rebuild = snapshot(conn)
    asyncio.run(rebuild(dsn, mlb.SOURCE, "curated"))
    assert snapshot(conn) == before_rebuild
