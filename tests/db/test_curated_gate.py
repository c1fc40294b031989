"""Curated never takes what the quality gate holds back, by every path: every curated SQL
file, run as a run's aggregate, a rebuild or a restage runs it (`refresh_curated`), must
give with a game held back exactly what it gives with that game absent from staging (and
with a whole date held back, what it gives without that date)."""

from __future__ import annotations

import asyncio
from datetime import date

import psycopg
import pytest
from psycopg.types.json import Jsonb

from pipeline import queries
from pipeline.curate import curated_files
from pipeline.runs.rebuild import rebuild
from pipeline.simulator.api import Simulator
from pipeline.sources import mlb
from pipeline.stage import target_table
from tests.db.test_quality_gate import backfill, played, transport

DAY, NEXT_DAY = date(2024, 4, 16), date(2024, 4, 17)
# the columns that say what was held back differ on purpose: the rest must be equal
SAYS_HELD_BACK = {"updated_at", "games_final", "games_held_back", "held_back_game_pks"}


def snapshot(conn) -> dict[str, list[tuple]]:
    """Every curated table a curated file fills, as sorted rows without volatile columns."""
    tables = {}
    for name in curated_files(mlb.SOURCE):
        table = target_table(mlb.SOURCE.sql.files(name)[0])
        schema, bare = table.split(".")
        columns = [row[0] for row in conn.execute(
            "select column_name from information_schema.columns where table_schema = %s and table_name = %s "
            "order by ordinal_position", [schema, bare]) if row[0] not in SAYS_HELD_BACK]
        tables[table] = sorted(conn.execute(f"select {', '.join(columns)} from {table}").fetchall(), key=repr)
    return tables


def fail_check(conn, day: date, failing_keys: list[dict]) -> None:
    """Record a failed error check for `day` naming `failing_keys`, as the quality step does."""
    queries.execute(conn, "quality_record_checks", {
        "run_id": None, "source": "mlb", "partition_key": day, "check_names": ["value_ranges"],
        "severities": ["error"], "rows_checked": [10], "rows_failing": [len(failing_keys) or 1],
        "metric_values": [len(failing_keys) or 1], "thresholds": [0], "passed": [False],
        "failing_keys": [Jsonb(failing_keys)], "details": [Jsonb({})]}).fetchall()


def delete_games(conn, where: str, params: list) -> None:
    for table in ("mlb_player_batting", "mlb_player_pitching"):
        conn.execute(f"delete from staging.{table} where game_pk in (select game_pk from staging.mlb_games "
                     f"where {where})", params)
    conn.execute(f"delete from staging.mlb_games where {where}", params)


@pytest.mark.parametrize("held_back", ["one game", "a whole date"])
def test_every_curated_file_leaves_out_what_the_gate_holds_back(dsn, conn, monkeypatch, held_back):
    monkeypatch.setenv("PIPELINE_MLB_BASE_URL", "http://simulator.test")
    sim = Simulator(seed=3, season=2024)
    _, progress = backfill(dsn, DAY, NEXT_DAY, transport(sim, {}))
    assert progress.status == "succeeded"
    bad_game = played(sim, DAY)[0]

    if held_back == "one game":
        fail_check(conn, DAY, [{"table": "mlb_player_batting", "game_pk": bad_game, "player_id": 1}])
        where, params = "game_pk = %s", [bad_game]
    else:
        fail_check(conn, DAY, [])  # a failure that names no game blocks its date
        where, params = "official_date = %s", [DAY]
    asyncio.run(rebuild(dsn, mlb.SOURCE, "curated"))
    gated = snapshot(conn)
    totals = conn.execute("select games_held_back from curated.mlb_daily_totals where official_date = %s",
                          [DAY]).fetchone()
    assert totals is None or totals[0] >= 1, "the date's totals say games were held back"

    with psycopg.connect(dsn) as other:  # the same data without what was held back
        delete_games(other, where, params)
        other.commit()
    asyncio.run(rebuild(dsn, mlb.SOURCE, "curated"))
    without = snapshot(conn)

    assert set(gated) == {target_table(f) for f in mlb.SOURCE.sql.files("curated/mlb/")}, "every curated file"
    for table in gated:
        assert gated[table] == without[table], f"{table} takes what the quality gate holds back ({held_back})"
    assert any(gated[table] for table in gated), "the comparison is not over empty tables"


def test_every_curated_file_applies_the_gate():
    for sql_file in mlb.SOURCE.sql.files("curated/mlb/"):
        text = mlb.SOURCE.sql.render(sql_file.name)
        if "staging." in text:
            assert "ops.quality_blocked_games" in text and "ops.quality_blocked_partitions" in text, \
                f"{sql_file.name} reads staging without the quality gate"
