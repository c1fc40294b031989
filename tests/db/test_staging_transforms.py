"""Staging SQL from small fixtures in the real shape: raw payload in, typed rows out."""

from __future__ import annotations

import json
from datetime import date

from tests.helpers import (comparable, fixture_bytes, land_boxscore, land_schedule, load_json, rows,
                           run_sql)

DAY = date(2024, 4, 10)
STAGING_FILES = ["staging/mlb/games", "staging/mlb/players", "staging/mlb/player_batting",
                 "staging/mlb/player_pitching"]


def load_fixture_day(dsn, conn) -> dict[str, int]:
    land_schedule(dsn, DAY, fixture_bytes("schedule_2024-04-10.json"))
    land_boxscore(dsn, 900001, DAY, fixture_bytes("boxscore_900001.json"))
    return {name: run_sql(conn, name, partition_date=DAY) for name in STAGING_FILES}


def assert_rows_match(actual: list[dict], expected: list[dict], what: str) -> None:
    assert len(actual) == len(expected), f"{what}: expected {len(expected)} rows, got {len(actual)}"
    for got, want in zip(actual, expected):
        assert comparable(got, want.keys()) == want, f"{what}: row {want.get('player_id', want.get('game_pk'))} differs"


def test_games_are_typed_field_by_field(dsn, conn):
    load_fixture_day(dsn, conn)
    actual = rows(conn, "select * from staging.mlb_games order by game_pk")
    assert_rows_match(actual, load_json("expected_games.json"), "staging.mlb_games")


def test_batting_lines_only_for_players_who_batted(dsn, conn):
    load_fixture_day(dsn, conn)
    actual = rows(conn, "select * from staging.mlb_player_batting order by game_pk, player_id")
    # pitcher 1003 is listed among the batters with an empty batting dict: no line
    assert_rows_match(actual, load_json("expected_batting.json"), "staging.mlb_player_batting")


def test_pitching_lines_field_by_field(dsn, conn):
    load_fixture_day(dsn, conn)
    actual = rows(conn, "select * from staging.mlb_player_pitching order by game_pk, player_id")
    assert_rows_match(actual, load_json("expected_pitching.json"), "staging.mlb_player_pitching")


def test_every_rostered_player_is_kept_with_lineage(dsn, conn):
    load_fixture_day(dsn, conn)
    players = rows(conn, "select player_id, full_name, last_team_id, raw_id from staging.mlb_players order by player_id")
    assert [p["player_id"] for p in players] == [1001, 1002, 1003, 1004, 2001, 2002]
    raw_ids = {r["raw_id"] for r in rows(conn, "select raw_id from raw.mlb_boxscore")}
    assert {p["raw_id"] for p in players} == raw_ids, "players must point at the box score version they came from"


def test_rerunning_a_partition_writes_zero_rows(dsn, conn):
    first = load_fixture_day(dsn, conn)
    assert all(count > 0 for count in first.values()), first
    xmins_before = rows(conn, "select xmin::text as xmin from staging.mlb_player_batting order by player_id")
    again = {name: run_sql(conn, name, partition_date=DAY) for name in STAGING_FILES}
    assert again == {name: 0 for name in STAGING_FILES}
    assert rows(conn, "select xmin::text as xmin from staging.mlb_player_batting order by player_id") == xmins_before


def test_identical_refetch_stores_no_new_version(dsn, conn):
    body = fixture_bytes("boxscore_900001.json")
    first = land_boxscore(dsn, 900001, DAY, body)
    again = land_boxscore(dsn, 900001, DAY, body)
    assert (first.versions_added, again.versions_added, again.versions_seen) == (1, 0, 1)
    assert rows(conn, "select count(*) as n from raw.mlb_boxscore")[0]["n"] == 1


def test_changed_response_is_a_new_version_and_wins(dsn, conn):
    load_fixture_day(dsn, conn)
    corrected = json.loads(fixture_bytes("boxscore_900001.json"))
    corrected["teams"]["away"]["players"]["ID1001"]["stats"]["batting"]["hits"] = 1
    result = land_boxscore(dsn, 900001, DAY, json.dumps(corrected).encode())
    assert result.versions_added == 1
    assert run_sql(conn, "staging/mlb/player_batting", partition_date=DAY) == 1
    line = rows(conn, "select hits, raw_id from staging.mlb_player_batting where player_id = 1001")[0]
    newest = rows(conn, "select max(raw_id) as raw_id from raw.mlb_boxscore")[0]["raw_id"]
    assert line == {"hits": 1, "raw_id": newest}
    assert rows(conn, "select count(*) as n from raw.mlb_boxscore")[0]["n"] == 2, "history is kept"


def test_postponed_entry_does_not_overwrite_the_made_up_game(dsn, conn):
    makeup_day = date(2024, 4, 11)
    schedule = json.loads(fixture_bytes("schedule_2024-04-10.json"))
    game = dict(schedule["dates"][0]["games"][1])
    game.update({
        "status": {"abstractGameState": "Final", "codedGameState": "F", "detailedState": "Final",
                   "statusCode": "F", "abstractGameCode": "F"},
        "doubleHeader": "Y", "gameNumber": 2, "rescheduledFrom": "2024-04-10T17:05:00Z",
        "rescheduledFromDate": "2024-04-10",
    })
    game["teams"] = {side: {**game["teams"][side], "score": score} for side, score in (("away", 2), ("home", 4))}
    game.pop("rescheduleDate"), game.pop("rescheduleGameDate")
    makeup = {"dates": [{"date": "2024-04-11", "games": [game]}]}
    land_schedule(dsn, makeup_day, json.dumps(makeup).encode())
    run_sql(conn, "staging/mlb/games", partition_date=makeup_day)
    land_schedule(dsn, DAY, fixture_bytes("schedule_2024-04-10.json"))
    run_sql(conn, "staging/mlb/games", partition_date=DAY)  # the original date, processed last
    row = rows(conn, "select detailed_state, home_score, rescheduled_from_date from staging.mlb_games where game_pk = 900002")[0]
    assert row == {"detailed_state": "Final", "home_score": 4, "rescheduled_from_date": date(2024, 4, 10)}
