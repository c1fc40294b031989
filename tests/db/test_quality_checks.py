"""The quality checks in sql/quality/mlb/: each one passes on a clean partition and fails on
a partition broken the way it names; results are recorded and error failures quarantined."""

from __future__ import annotations

import asyncio
from datetime import date

import psycopg
import pytest

from pipeline import quality, stage
from pipeline.sources import mlb
from tests.helpers import fixture_bytes, land_boxscore, land_schedule, rows

DAY = date(2024, 4, 10)
STAGING_FILES = stage.staging_files(mlb.SOURCE, "games")


def transform(dsn: str, day: date = DAY) -> None:
    async def go():
        async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
            await quality.validate_raw(conn, mlb.SOURCE, "games", day)
            for name in STAGING_FILES:
                await mlb.SOURCE.sql.execute_async(conn, name, {"partition_date": day})

    asyncio.run(go())


def run_checks(dsn: str, day: date = DAY, run_id: int | None = None) -> dict[str, quality.CheckResult]:
    async def go():
        async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
            return await quality.run_checks(conn, mlb.SOURCE, day, run_id)

    return {result.check.check_name: result for result in asyncio.run(go())}


@pytest.fixture
def loaded(dsn, conn):
    land_schedule(dsn, DAY, fixture_bytes("schedule_2024-04-10.json"))
    land_boxscore(dsn, 900001, DAY, fixture_bytes("boxscore_900001.json"))
    transform(dsn)
    return conn


def add_season_lines(conn, count: int = 60) -> None:
    """A day of ordinary batting lines (0-2 hits) so the league distribution has a shape."""
    other = date(2024, 4, 9)
    conn.execute("""insert into staging.mlb_games (game_pk, season, official_date, game_type, detailed_state,
                        abstract_state, coded_game_state, away_team_id, home_team_id, away_score, home_score, raw_id)
                    values (800001, 2024, %s, 'R', 'Final', 'Final', 'F', 121, 143, 0, 0, 0)""", [other])
    conn.execute("""insert into staging.mlb_players (player_id, full_name, last_game_date, last_game_pk, raw_id)
                    select 5000 + n, 'Filler ' || n, %s, 800001, 0 from generate_series(1, %s) as n""",
                 [other, count])
    conn.execute("""insert into staging.mlb_player_batting (game_pk, player_id, team_id, official_date, season,
                        plate_appearances, at_bats, runs, hits, home_runs, rbi, base_on_balls, strike_outs, raw_id)
                    select 800001, 5000 + n, 121, %s, 2024, 4, 4, 0, n %% 3, 0, 0, 0, 1, 0
                    from generate_series(1, %s) as n""", [other, count])


def test_every_check_passes_on_a_clean_partition_and_results_are_recorded(loaded, dsn):
    add_season_lines(loaded)
    results = run_checks(dsn)
    assert set(results) == {"required_fields", "value_ranges", "foreign_keys", "runs_match_score",
                            "pitching_matches_score", "freshness", "duplicates", "outliers"}
    failed = {name: r.rows_failing for name, r in results.items() if not r.passed}
    assert failed == {}, f"checks failed on clean data: {failed}"
    assert all(r.rows_checked > 0 for r in results.values()), "every check must have looked at rows"
    recorded = rows(loaded, "select check_name, severity, passed, threshold from ops.data_quality_checks")
    assert len(recorded) == 8 and all(r["passed"] for r in recorded)
    assert {r["check_name"]: r["severity"] for r in recorded}["freshness"] == "warn"
    assert rows(loaded, "select count(*) as n from ops.quarantined_rows")[0]["n"] == 0


BREAKAGES = {
    "required_fields": "update staging.mlb_player_batting set hits = null where player_id = 1001",
    "value_ranges": "update staging.mlb_player_batting set hits = 5 where player_id = 1002",
    "foreign_keys": "update staging.mlb_player_batting set team_id = 999 where player_id = 1001",
    "runs_match_score": "update staging.mlb_games set home_score = 4 where game_pk = 900001",
    "pitching_matches_score": "update staging.mlb_player_pitching set runs = 4 where player_id = 1003",
    "freshness": "update staging.mlb_games set abstract_state = 'Preview', coded_game_state = 'S'",
    "duplicates": """insert into staging.mlb_games (game_pk, season, official_date, game_type, detailed_state,
                         abstract_state, coded_game_state, away_team_id, home_team_id, game_number, raw_id)
                     values (900009, 2024, '2024-04-10', 'R', 'Final', 'Final', 'F', 147, 111, 1, 0)""",
    "outliers": "update staging.mlb_player_batting set hits = 30, at_bats = 30, plate_appearances = 30 "
                "where player_id = 1001",
}


@pytest.mark.parametrize("check_name", sorted(BREAKAGES))
def test_each_check_fails_on_the_breakage_it_names(loaded, dsn, check_name):
    add_season_lines(loaded)
    loaded.execute(BREAKAGES[check_name])
    result = run_checks(dsn)[check_name]
    assert not result.passed, f"{check_name} did not catch: {BREAKAGES[check_name]}"
    assert result.rows_failing >= 1
    recorded = rows(loaded, "select passed, failing_keys, severity from ops.data_quality_checks where check_name = %s",
                    [check_name])[0]
    assert recorded["passed"] is False and recorded["failing_keys"], "the failing keys are sampled"
    quarantined = rows(loaded, "select row_key from ops.quarantined_rows where check_name = %s", [check_name])
    if recorded["severity"] == "error":
        assert len(quarantined) == result.rows_failing, "every offending row of an error check is listed"
    else:
        assert quarantined == [], "a warn check quarantines nothing"


@pytest.mark.parametrize("breakage, kind", [
    ("update staging.mlb_player_batting set team_id = 999 where player_id = 1001", "team_not_in_game"),
    ("update staging.mlb_player_batting set game_pk = 900777 where player_id = 1001", "missing_game"),
    ("delete from staging.mlb_players where player_id = 1001", "missing_player"),
])
def test_foreign_keys_names_each_kind_of_dangling_reference(loaded, dsn, breakage, kind):
    """A line whose game is not staged, whose club is not one of its game's two, or whose
    player is not staged fails the check, under its own kind in the details. (Staging's foreign keys forbid both: the breakage
    goes around them, as a restore or a hand edit with triggers off could.)"""
    add_season_lines(loaded)
    loaded.execute("set session_replication_role = replica")  # no foreign-key triggers
    loaded.execute(breakage)
    loaded.execute("reset session_replication_role")
    result = run_checks(dsn)["foreign_keys"]
    details = rows(loaded, "select details from ops.data_quality_checks where check_name = 'foreign_keys'")[0]["details"]
    assert not result.passed and result.rows_failing == 1
    assert details[kind] == 1 and sum(details.values()) == 1, details


def test_null_rates_per_column_are_reported(loaded, dsn):
    loaded.execute("update staging.mlb_player_batting set hits = null where player_id = 1001")
    run_checks(dsn)
    rates = rows(loaded, "select details from ops.data_quality_checks where check_name = 'required_fields'")[0]["details"]
    assert float(rates["mlb_player_batting.hits"]) == pytest.approx(1 / 3, abs=1e-3)
    assert float(rates["mlb_player_batting.at_bats"]) == 0
