"""Raw schema fingerprints and versions: every real sample is fingerprinted and transforms;
extra fields are accepted; a payload missing required fields is quarantined with a reason."""

from __future__ import annotations

import asyncio
import json
from datetime import date

import psycopg
import pytest

from pipeline import quality, stage
from pipeline.sources import mlb
from tests.helpers import fixture_bytes, land, land_boxscore, land_schedule, rows
from tests.db.test_real_samples import BOXSCORES, schedule_for

DAY = date(2024, 4, 10)
# endpoints the pipeline lands; the samples' linescore/ folder has no endpoint here
LANDED = {"boxscore", "schedule", "teams"}


def transform(dsn: str, endpoint: str, day: date) -> dict[str, int]:
    async def go():
        written = {}
        async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
            await quality.validate_raw(conn, mlb.SOURCE, endpoint, day)
            for name in stage.staging_files(mlb.SOURCE, endpoint):
                cursor = await mlb.SOURCE.sql.execute_async(conn, name, {"partition_date": day})
                written[name] = cursor.rowcount
        return written

    return asyncio.run(go())


def test_every_real_sample_is_fingerprinted_and_transforms(samples, dsn, conn):
    files = sorted(path for path in samples.rglob("*.json") if path.parent.name in LANDED)
    assert files, "no samples found"
    for path in files:
        kind, stem = path.parent.name, path.stem
        body = path.read_bytes()
        if kind == "boxscore":
            day = BOXSCORES[int(stem)]
            land_schedule(dsn, day, schedule_for(int(stem), day, json.loads(body)))
            land_boxscore(dsn, int(stem), day, body)
            written = transform(dsn, "games", day)
            assert written["staging/mlb/player_batting"] > 0, f"{path.name}: no batting lines"
        elif kind == "schedule":
            day = date.fromisoformat(stem)
            land_schedule(dsn, day, body)
            assert transform(dsn, "games", day)["staging/mlb/games"] > 0, f"{path.name}: no games"
        else:
            land(dsn, mlb.teams_request(int(stem)), body)
            assert transform(dsn, "teams", date(int(stem), 1, 1))["staging/mlb/teams"] == 30
    refused = rows(conn, "select table_name, reason from ops.raw_quarantine")
    assert refused == [], f"a real sample was quarantined: {refused}"
    for table in ("mlb_schedule", "mlb_boxscore", "mlb_teams"):
        unstamped = rows(conn, f"select count(*) as n from raw.{table} where schema_version is null")[0]["n"]
        assert unstamped == 0, f"raw.{table}: a version without a schema version"
    boxscore_versions = rows(conn, """select key_paths from ops.raw_schema_versions
                                      where table_name = 'mlb_boxscore' order by schema_version""")
    assert len(boxscore_versions) == 2, "the live-feed and the direct box score have different shapes"
    assert sum("$.copyright" in v["key_paths"] for v in boxscore_versions) == 1


def test_extra_fields_are_accepted_and_missing_required_fields_quarantined(dsn, conn):
    boxscore = json.loads(fixture_bytes("boxscore_900001.json"))
    land_schedule(dsn, DAY, fixture_bytes("schedule_2024-04-10.json"))
    land_boxscore(dsn, 900001, DAY, fixture_bytes("boxscore_900001.json"))
    transform(dsn, "games", DAY)
    lines = rows(conn, "select count(*) as n from staging.mlb_player_batting")[0]["n"]

    extra = json.loads(json.dumps(boxscore))
    extra["newTopLevelThing"] = {"x": 1}
    extra["teams"]["away"]["players"]["ID1001"]["brandNewStat"] = 7
    land_boxscore(dsn, 900001, DAY, json.dumps(extra).encode())
    transform(dsn, "games", DAY)
    assert rows(conn, "select count(*) as n from ops.raw_quarantine")[0]["n"] == 0, "extra fields are fine"

    broken = json.loads(json.dumps(boxscore))
    del broken["teams"]["home"]["players"]
    land_boxscore(dsn, 900001, DAY, json.dumps(broken).encode())
    transform(dsn, "games", DAY)
    refused = rows(conn, "select reason from ops.raw_quarantine")
    assert [r["reason"] for r in refused] == ["missing required field(s): $.teams.home.players"]
    assert rows(conn, "select count(*) as n from staging.mlb_player_batting")[0]["n"] == lines, \
        "the previous good version stays in use: nothing lost"
    latest = rows(conn, """select raw_id from raw.mlb_boxscore order by raw_id desc limit 1""")[0]["raw_id"]
    assert latest not in {r["raw_id"] for r in rows(conn, "select raw_id from staging.mlb_players")}


@pytest.mark.parametrize("fault", ["missing_player_id", "duplicated_player"])
def test_simulator_bad_payloads_are_quarantined(dsn, conn, fault):
    from pipeline.simulator.baddata import corrupt

    bad = corrupt(json.loads(fixture_bytes("boxscore_900001.json")), fault)
    land_schedule(dsn, DAY, fixture_bytes("schedule_2024-04-10.json"))
    land_boxscore(dsn, 900001, DAY, json.dumps(bad).encode())
    transform(dsn, "games", DAY)
    assert rows(conn, "select count(*) as n from ops.raw_quarantine")[0]["n"] == 1
    assert rows(conn, "select count(*) as n from staging.mlb_player_batting")[0]["n"] == 0
