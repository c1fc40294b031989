"""Raw partitions and archival: rows far outside the partitions are kept by the default
partition and moved by maintenance; premake; retention compaction; archive, drop,
restore gives identical rows, and staging rebuilt from the restored raw equals the original."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime, timezone

import psycopg
import pytest

from pipeline import archive, curate, partitions, queries, sqlfiles
from pipeline.errors import PipelineError
from pipeline.http import ApiResponse
from pipeline.land import land_responses
from pipeline.sources import mlb
from tests.db.test_raw_schema import transform
from tests.helpers import fixture_bytes, land_boxscore, land_schedule, rows

DAY = date(2024, 4, 10)
STAGING = ["staging.mlb_games", "staging.mlb_players", "staging.mlb_player_batting", "staging.mlb_player_pitching"]


def run(dsn: str, work):
    async def go():
        async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
            return await work(conn)

    return asyncio.run(go())


def land_unplanned(dsn: str, day: date, body: bytes) -> None:
    """Land without creating partitions first (no planner ran): the default catches it."""
    response = ApiResponse(mlb.schedule_request(day), 200, body, datetime.now(timezone.utc))
    run(dsn, lambda conn: land_responses(conn, "mlb_schedule", [response], None))


def checksum(conn, table: str, exclude=("updated_at",)) -> tuple[int, str]:
    schema, name = table.split(".")
    columns = [r[0] for r in conn.execute(
        "select column_name from information_schema.columns where table_schema = %s and table_name = %s "
        "order by ordinal_position", [schema, name]) if r[0] not in exclude]
    return conn.execute(f"select count(*), md5(coalesce(string_agg(({', '.join(columns)})::text, '|' "
                        f"order by ({', '.join(columns)})::text), '')) from {table}").fetchone()


def test_rows_far_outside_the_partitions_are_caught_and_drained(dsn, conn):
    far = date(2031, 6, 15)
    land_unplanned(dsn, far, b'{"dates": []}')
    land_unplanned(dsn, date(1999, 1, 2), b'{"dates": [], "old": true}')
    assert rows(conn, "select count(*) as n from raw.mlb_schedule_default")[0]["n"] == 2
    before = checksum(conn, "raw.mlb_schedule")

    report = run(dsn, lambda conn: partitions.maintain(conn, today=date(2024, 5, 20), premake_months=2))

    assert report.rows_drained["mlb_schedule"] == 2
    assert rows(conn, "select count(*) as n from raw.mlb_schedule_default")[0]["n"] == 0
    assert checksum(conn, "raw.mlb_schedule") == before, "nothing lost, nothing changed"
    names = {r[1]: r for r in run(dsn, lambda conn: partitions.list_partitions(conn, "mlb_schedule"))}
    assert names["mlb_schedule_y2031m06"][5] == 1 and names["mlb_schedule_y1999m01"][5] == 1
    assert {"mlb_schedule_y2024m05", "mlb_schedule_y2024m06", "mlb_schedule_y2024m07"} <= set(names), \
        "this month and the next two are made ahead of need"
    assert report.partitions_created["mlb_boxscore"] == 3


def test_retention_compacts_old_versions_to_the_one_staging_reads(dsn, conn):
    old, recent = date(2024, 1, 10), date(2024, 5, 10)
    for day in (old, recent):
        for version in range(3):
            land_schedule(dsn, day, json.dumps({"dates": [], "version": version}).encode())
    latest_old = rows(conn, "select raw_id from raw.mlb_schedule where partition_date = %s "
                            "order by last_seen_at desc, raw_id desc limit 1", [old])[0]["raw_id"]

    removed = run(dsn, lambda conn: archive.compact(conn, "mlb_schedule", today=date(2024, 5, 20)))

    assert removed == 2
    kept = rows(conn, "select partition_date, raw_id from raw.mlb_schedule order by raw_id")
    assert [r["raw_id"] for r in kept if r["partition_date"] == old] == [latest_old]
    assert len([r for r in kept if r["partition_date"] == recent]) == 3, "inside the window, history stays"


def test_archive_drop_restore_round_trip_and_staging_rebuild(dsn, conn, tmp_path):
    land_schedule(dsn, DAY, fixture_bytes("schedule_2024-04-10.json"))
    land_boxscore(dsn, 900001, DAY, fixture_bytes("boxscore_900001.json"))
    land_boxscore(dsn, 900001, DAY, fixture_bytes("boxscore_900001.json").replace(b'"runs": 3', b'"runs":3'))
    transform(dsn, "games", DAY)
    raw_before = {t: checksum(conn, t, exclude=()) for t in ("raw.mlb_schedule", "raw.mlb_boxscore")}
    staging_before = {t: checksum(conn, t) for t in STAGING}

    manifests = [run(dsn, lambda conn, name=name: archive.export_partition(conn, name, tmp_path))
                 for name in ("mlb_schedule_y2024m04", "mlb_boxscore_y2024m04")]

    assert [m.row_count for m in manifests] == [1, 2]
    for manifest in manifests:
        assert (tmp_path / manifest.file_name).stat().st_size > 0
        on_disk = json.loads((tmp_path / f"{manifest.partition_name}.manifest.json").read_text())
        assert on_disk["rows_md5"] == manifest.rows_md5 and on_disk["file_sha256"] == manifest.file_sha256
    assert conn.execute("select to_regclass('raw.mlb_boxscore_y2024m04')").fetchone()[0] is None, "dropped"
    assert rows(conn, "select count(*) as n from raw.mlb_boxscore")[0]["n"] == 0
    assert len(run(dsn, archive.list_archives)) == 2

    for table in ("mlb_player_batting", "mlb_player_pitching"):
        conn.execute(f"delete from staging.{table}")
    conn.execute("delete from staging.mlb_players")
    conn.execute("delete from staging.mlb_games")
    for manifest in manifests:
        restored = run(dsn, lambda conn, m=manifest: archive.restore_partition(
            conn, tmp_path / f"{m.partition_name}.manifest.json"))
        assert restored.row_count == manifest.row_count

    assert {t: checksum(conn, t, exclude=()) for t in raw_before} == raw_before, "identical raw rows"
    for manifest in manifests:
        run(dsn, lambda conn, m=manifest: archive.rebuild_from(conn, mlb.SOURCE, m))
    assert {t: checksum(conn, t) for t in STAGING} == staging_before, "staging rebuilt from restored raw is equal"
    assert all(r["restored_at"] for r in rows(conn, "select restored_at from ops.archived_partitions"))


def test_a_failed_export_leaves_the_partition_attached_and_no_file(dsn, conn, tmp_path):
    land_schedule(dsn, DAY, fixture_bytes("schedule_2024-04-10.json"))
    blocker = tmp_path / "mlb_schedule_y2024m04.copy.gz"
    blocker.mkdir()  # the data file cannot be written
    with pytest.raises(IsADirectoryError):
        run(dsn, lambda conn: archive.export_partition(conn, "mlb_schedule_y2024m04", tmp_path))
    assert rows(conn, "select count(*) as n from raw.mlb_schedule")[0]["n"] == 1, "still attached, rows intact"
    with pytest.raises(PipelineError, match="default partition"):
        run(dsn, lambda conn: archive.export_partition(conn, "mlb_schedule_default", tmp_path))


def test_raw_payload_compression_matches_the_server(conn):
    has_lz4 = conn.execute("select 'lz4' = any(enumvals) from pg_settings "
                           "where name = 'default_toast_compression'").fetchone()[0]
    methods = {r[0] for r in conn.execute(
        "select attcompression from pg_attribute where attname = 'payload' "
        "and attrelid in ('raw.mlb_boxscore'::regclass, 'raw.mlb_boxscore_default'::regclass)")}
    assert methods == ({"l"} if has_lz4 else {""}), "lz4 where the server has it, else the default (pglz)"


def test_the_daily_periodic_task_maintains_partitions(dsn, conn):
    from types import SimpleNamespace

    from pipeline.config import load_settings
    from pipeline.jobs.app import Runtime, app
    from pipeline.jobs.periodic import maintain_partitions

    periodic = [task for task in app.periodic_registry.periodic_tasks.values() if task.task is maintain_partitions]
    assert periodic and periodic[0].cron == "17 3 * * *", "registered as a procrastinate periodic task"
    land_unplanned(dsn, date(2030, 2, 3), b'{"dates": []}')
    runtime = Runtime(dsn, load_settings())
    context = SimpleNamespace(additional_context={"runtime": runtime})

    async def tick() -> None:
        try:
            await maintain_partitions.func(context, int(datetime(2030, 1, 5, 3, 17, tzinfo=timezone.utc).timestamp()))
        finally:
            await runtime.aclose()

    asyncio.run(tick())
    assert rows(conn, "select count(*) as n from raw.mlb_schedule_default")[0]["n"] == 0
    assert conn.execute("select to_regclass('raw.mlb_teams_y2030m04')").fetchone()[0] is not None


def scanned_relations(plan: dict) -> list[str]:
    found = [plan["Relation Name"]] if "Relation Name" in plan else []
    for child in plan.get("Plans", []):
        found += scanned_relations(child)
    return found


@pytest.mark.parametrize("table", ["mlb_player_batting", "mlb_player_pitching"])
def test_the_staging_merge_for_one_day_touches_one_partition(dsn, conn, table):
    land_schedule(dsn, DAY, fixture_bytes("schedule_2024-04-10.json"))
    land_boxscore(dsn, 900001, DAY, fixture_bytes("boxscore_900001.json"))
    transform(dsn, "games", DAY)
    conn.execute("select ops.ensure_staging_partitions('2023-01-01', '2025-12-31')")
    partitions_of_table = {r[0] for r in conn.execute(
        "select inhrelid::regclass::text from pg_inherits where inhparent = %s::regclass", [f"staging.{table}"])}
    assert len(partitions_of_table) >= 4, "yearly partitions and a default"

    text = sqlfiles.render(f"staging/mlb/{table.removeprefix('mlb_')}")
    plan = conn.execute(f"explain (format json) {text}", {"partition_date": DAY}).fetchone()[0][0]["Plan"]

    touched = {name for name in scanned_relations(plan) if name.startswith(f"{table}_")}  # not the parent
    assert touched == {f"{table}_y2024"}, f"the merge for {DAY} touches {touched}"


def test_staging_rows_outside_the_yearly_partitions_are_caught_and_drained(dsn, conn):
    land_schedule(dsn, DAY, fixture_bytes("schedule_2024-04-10.json"))
    land_boxscore(dsn, 900001, DAY, fixture_bytes("boxscore_900001.json"))
    transform(dsn, "games", DAY)
    conn.execute("update staging.mlb_player_batting set official_date = '2041-06-01' where player_id = 1001")
    assert rows(conn, "select count(*) as n from staging.mlb_player_batting_default")[0]["n"] == 1
    before = checksum(conn, "staging.mlb_player_batting")
    report = run(dsn, lambda conn: partitions.maintain(conn, today=date(2024, 5, 20)))
    assert report.rows_drained["staging"] == 1
    assert rows(conn, "select count(*) as n from staging.mlb_player_batting_y2041")[0]["n"] == 1
    assert checksum(conn, "staging.mlb_player_batting") == before, "nothing lost"


def test_marking_a_days_repeated_answers_seen_reads_that_days_partition_only(dsn, conn):
    """The landing path's first statement names the batch's dates as a list too: with every
    month of three seasons partitioned, its plan reads one month, so landing a date costs
    the same however many seasons raw holds."""
    land_boxscore(dsn, 900001, DAY, fixture_bytes("boxscore_900001.json"))
    conn.execute("select ops.ensure_monthly_partitions('mlb_boxscore', '2022-01-01', '2024-12-31')")
    months = {r[0] for r in conn.execute(
        "select inhrelid::regclass::text from pg_inherits where inhparent = 'raw.mlb_boxscore'::regclass")}
    assert len(months) >= 36, "a partition per month of three seasons"
    key, digest = conn.execute("select request_key, content_hash from raw.mlb_boxscore").fetchone()

    text = queries.render("landing_mark_seen", table="mlb_boxscore")
    plan = conn.execute(f"explain (format json) {text}", {
        "request_keys": [key], "partition_dates": [DAY], "content_hashes": [digest],
        "seen_at": [datetime.now(timezone.utc)], "run_id": None,
    }).fetchone()[0][0]["Plan"]

    touched = {name for name in scanned_relations(plan) if name.startswith("mlb_boxscore_")}
    assert touched == {"mlb_boxscore_y2024m04"}, f"marking {DAY} seen reads {sorted(touched)}"


def test_the_curated_refresh_of_a_season_reads_that_seasons_line_partitions_only(dsn, conn):
    """Each curated file bounds the line tables by the refreshed seasons in a way the planner
    sees, so a season's refresh costs the same however many seasons staging holds."""
    land_schedule(dsn, DAY, fixture_bytes("schedule_2024-04-10.json"))
    land_boxscore(dsn, 900001, DAY, fixture_bytes("boxscore_900001.json"))
    transform(dsn, "games", DAY)
    conn.execute("select ops.ensure_staging_partitions('2021-01-01', '2025-12-31')")
    params = curate.refresh_params([DAY], [DAY.year])
    for name in curate.curated_files(mlb.SOURCE):
        text = mlb.SOURCE.sql.render(name)
        plan = conn.execute(f"explain (format json) {text}",
                            {param: params[param] for param in sqlfiles.parameters(text)}).fetchone()[0][0]["Plan"]
        lines = {relation for relation in scanned_relations(plan)
                 if relation.startswith(("mlb_player_batting_", "mlb_player_pitching_"))}
        assert all(relation.endswith("_y2024") for relation in lines), f"{name} reads {sorted(lines)}"
