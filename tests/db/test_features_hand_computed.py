"""The feature tables on a small fixture whose expected values were computed by hand
(tests/db/fixtures/features_hand_computed.json): one batter and one pitcher of club 101
over a few dates, a doubleheader, a postponed game, and a scoring system of hits only."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal

from pipeline.runs.rebuild import rebuild
from pipeline.sources import mlb
from tests.helpers import load_json, rows

BATTER, PITCHER, CLUB = 900001, 900002, 101


def load_fixture(conn, fixture: dict) -> None:
    for game in fixture["games"]:
        state = "Postponed" if game["coded"] == "D" else "Final"
        conn.execute(
            "insert into staging.mlb_games (game_pk, season, official_date, game_date, game_type, detailed_state, "
            "abstract_state, coded_game_state, away_team_id, home_team_id, raw_id) "
            "values (%s, 2024, %s, %s, 'R', %s, %s, %s, %s, %s, 0)",
            [game["game_pk"], game["official_date"], game["game_date"], state,
             "Preview" if state == "Postponed" else "Final", game["coded"], game["away"], game["home"]])
    for player_id, name in ((BATTER, "Hand Batter"), (PITCHER, "Hand Pitcher")):
        conn.execute("insert into staging.mlb_players (player_id, full_name, last_game_date, last_game_pk, raw_id) "
                     "values (%s, %s, '2024-04-10', 5, 0)", [player_id, name])
    dates = {game["game_pk"]: game["official_date"] for game in fixture["games"]}
    for table, player_id in (("mlb_player_batting", BATTER), ("mlb_player_pitching", PITCHER)):
        for line in fixture["batting" if table == "mlb_player_batting" else "pitching"]:
            stats = {key: value for key, value in line.items() if key != "game_pk"}
            columns = ", ".join(stats)
            conn.execute(
                f"insert into staging.{table} (game_pk, player_id, team_id, official_date, season, raw_id, {columns}) "
                f"values (%s, %s, %s, %s, 2024, 0, {', '.join(['%s'] * len(stats))})",
                [line["game_pk"], player_id, CLUB, dates[line["game_pk"]], *stats.values()])
    conn.execute("insert into curated.fantasy_scoring values ('hits_only', 'batting', 'hits', 1)")


def as_text(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def features_of(conn, table: str, where: str, params: list) -> dict[str, dict]:
    found = rows(conn, f"select * from curated.{table} where {where} order by as_of_date", params)
    return {row["as_of_date"].isoformat(): {key: as_text(value) for key, value in row.items()} for row in found}


def assert_expected(found: dict[str, dict], expected: list[dict], what: str) -> None:
    for row in expected:
        day = row["as_of_date"]
        assert day in found, f"{what} has a row as of {day}"
        got = {key: found[day][key] for key in row}
        assert got == row, f"{what} as of {day}: computed {got}, by hand {row}"


def test_features_equal_the_hand_computed_values(dsn, conn):
    fixture = load_json("features_hand_computed.json")
    load_fixture(conn, fixture)

    asyncio.run(rebuild(dsn, mlb.SOURCE, "curated"))

    batting = features_of(conn, "mlb_features_batting", "player_id = %s", [BATTER])
    pitching = features_of(conn, "mlb_features_pitching", "player_id = %s", [PITCHER])
    fantasy = features_of(conn, "mlb_features_fantasy", "player_id = %s and scoring_system = 'hits_only'", [BATTER])
    context = features_of(conn, "mlb_features_context", "team_id = %s", [CLUB])
    club_dates = ["2024-04-02", "2024-04-04", "2024-04-10", "2024-04-13"]
    assert list(batting) == club_dates, \
        "a row for each date club 101 plays after the batter's first game; none on the postponed 2024-04-12"
    assert list(pitching) == club_dates
    assert list(fantasy) == club_dates
    assert list(context) == ["2024-04-01", *club_dates]
    assert_expected(batting, fixture["expected_batting"], "the batter")
    assert_expected(pitching, fixture["expected_pitching"], "the pitcher")
    assert_expected(fantasy, fixture["expected_fantasy_hits_only"], "the batter's fantasy form (hits only)")
    assert_expected(context, fixture["expected_context_101"], "club 101's context")
    assert {row["feature_set_version"] for table in (batting, pitching, fantasy, context) for row in table.values()} \
        == {1}, "every row carries its feature-set version"
    labels = dict(conn.execute("select game_pk, total_points from curated.mlb_fantasy_points_game "
                               "where scoring_system = 'hits_only' and player_id = %s", [BATTER]).fetchall())
    assert labels == {1: 2, 2: 1, 3: 0, 4: 1, 5: 2}, "one label per game: the game's points (its hits)"


def test_features_commands_list_the_sets_and_export_a_training_set(dsn, conn, monkeypatch, tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    load_fixture(conn, load_json("features_hand_computed.json"))
    asyncio.run(rebuild(dsn, mlb.SOURCE, "curated"))
    monkeypatch.setenv("DATABASE_URL", dsn)
    runner = CliRunner()

    listed = runner.invoke(main, ["features", "list"])
    assert listed.exit_code == 0, listed.output
    assert "batting      1*       curated.mlb_features_batting" in listed.output
    assert "pitching (22 columns): days_since_last_appearance, appearances_last3" in listed.output

    output = tmp_path / "train.csv"
    exported = runner.invoke(main, ["features", "training-set", "--start", "2024-04-01", "--end", "2024-04-13",
                                    "--scoring", "hits_only", "--output", str(output)])
    assert exported.exit_code == 0, exported.output
    lines = output.read_text().splitlines()
    assert lines[0].startswith("# feature sets: batting v1, context v1, fantasy v1, pitching v1")
    header = lines[1].split(",")
    batter_rows = [dict(zip(header, line.split(","))) for line in lines[2:]]
    assert [(row["as_of_date"], row["game_pk"], row["label_points"]) for row in batter_rows] == [
        ("2024-04-02", "2", "1.00"), ("2024-04-04", "3", "0.00"), ("2024-04-04", "4", "1.00"),
        ("2024-04-10", "5", "2.00")], "one row per game after the batter's first, both games of the doubleheader"
    assert {row["fantasy_games_season"] for row in batter_rows if row["as_of_date"] == "2024-04-04"} == {"2"}, \
        "both games of 2024-04-04 use the features as of that morning: neither sees the other"

    bad = runner.invoke(main, ["features", "training-set", "--start", "2024-04-13", "--end", "2024-04-01"])
    assert bad.exit_code != 0 and "Error: the end date 2024-04-01 is before the start date 2024-04-13" in bad.output


def test_feature_checks_name_only_the_rows_that_fail(dsn, conn):
    import psycopg

    from pipeline.features import run_feature_checks

    load_fixture(conn, load_json("features_hand_computed.json"))
    asyncio.run(rebuild(dsn, mlb.SOURCE, "curated"))
    conn.execute("update curated.mlb_features_batting set avg_7d = 2 "
                 "where player_id = %s and as_of_date = '2024-04-04'", [BATTER])
    conn.execute("update curated.mlb_features_fantasy set games_7d = 99 "
                 "where player_id = %s and as_of_date = '2024-04-10' and scoring_system = 'hits_only'", [BATTER])

    async def check():
        async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as aconn:
            return await run_feature_checks(aconn, mlb.SOURCE, [date(2024, 4, 1)], [2024], None)

    results = {result.check.check_name: result for result in asyncio.run(check())}
    assert results["rates_in_bounds"].rows_failing == 1 and not results["rates_in_bounds"].passed
    assert results["windows_within_size"].rows_failing == 1
    assert results["rows_on_game_dates"].rows_failing == 0
    recorded = dict(conn.execute("select check_name, failing_keys from ops.data_quality_checks "
                                 "where check_name like 'features_%%'").fetchall())
    assert recorded["features_rates_in_bounds"] == [
        {"table": "mlb_features_batting", "player_id": BATTER, "as_of_date": "2024-04-04"}]
    assert recorded["features_windows_within_size"] == [
        {"table": "mlb_features_fantasy", "player_id": BATTER, "as_of_date": "2024-04-10",
         "scoring_system": "hits_only"}], "a fantasy row's key names its scoring system"
    assert results["rates_in_bounds"].rows_checked == results["windows_within_size"].rows_checked > 2, \
        "every recomputed feature row is checked, not only the failing ones"
