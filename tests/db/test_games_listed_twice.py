"""Deterministic staging: a game the schedule lists on several dates (a suspended game
completed the next day: both entries Final, same officialDate, different gameDate, dayNight
and seriesGameNumber; a game listed again as postponed after it was played) resolves to the
same row whatever order the date partitions run in: the latest listing wins, and a
postponed entry never overwrites a played one. Property-style: hypothesis shuffles the
order of the partitions."""

from __future__ import annotations

import copy
import json
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.simulator.api import Simulator
from tests.helpers import land_schedule, rows, run_sql

DAYS = [date(2024, 4, 16), date(2024, 4, 17), date(2024, 4, 18)]
COLUMNS = "game_pk, official_date, game_date, day_night, series_game_number, coded_game_state, detailed_state, " \
          "away_score, home_score, listed_on"


def schedules() -> tuple[dict[date, dict], int, int]:
    """The simulator's schedules of DAYS, with game X also listed on the next day as its
    completion (suspended) and game Y listed two days later as postponed."""
    sim = Simulator(seed=3, season=2024)
    payloads = {}
    for day in DAYS:
        _, _, body = sim.handle("GET", "/api/v1/schedule", {"sportId": "1", "date": day.isoformat()}, {})
        payloads[day] = json.loads(body)
    first_day_games = payloads[DAYS[0]]["dates"][0]["games"]
    suspended, played = copy.deepcopy(first_day_games[0]), copy.deepcopy(first_day_games[1])
    suspended.update(gameDate=f"{DAYS[1]}T17:05:00Z", dayNight="day",
                     seriesGameNumber=suspended.get("seriesGameNumber", 1) + 1)
    payloads[DAYS[1]]["dates"][0]["games"].append(suspended)
    played.update(officialDate=DAYS[2].isoformat(), gameDate=f"{DAYS[2]}T23:05:00Z")
    played["status"] = {"abstractGameState": "Final", "codedGameState": "D", "detailedState": "Postponed",
                        "statusCode": "DR", "startTimeTBD": False, "abstractGameCode": "F"}
    payloads[DAYS[2]]["dates"][0]["games"].append(played)
    return payloads, suspended["gamePk"], played["gamePk"]


PAYLOADS, SUSPENDED, PLAYED = schedules()


def staged_in_order(conn, order: list[date]) -> list[tuple]:
    conn.execute("delete from staging.mlb_games")
    for day in order:
        run_sql(conn, "staging/mlb/games", partition_date=day)
    return conn.execute(f"select {COLUMNS} from staging.mlb_games order by game_pk").fetchall()


def test_the_same_rule_wins_in_every_partition_order(dsn, conn):
    for day, payload in PAYLOADS.items():
        land_schedule(dsn, day, json.dumps(payload).encode())
    reference = staged_in_order(conn, DAYS)
    suspended = rows(conn, "select * from staging.mlb_games where game_pk = %s", [SUSPENDED])[0]
    assert suspended["listed_on"] == DAYS[1] and suspended["day_night"] == "day", "the latest listing wins"
    assert suspended["official_date"] == DAYS[0]
    played = rows(conn, "select * from staging.mlb_games where game_pk = %s", [PLAYED])[0]
    assert played["coded_game_state"] == "F" and played["listed_on"] == DAYS[0], \
        "a postponed listing never overwrites a played game"

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(order=st.permutations(DAYS), restaged=st.lists(st.sampled_from(DAYS), max_size=3))
    def every_order(order, restaged):
        assert staged_in_order(conn, list(order) + restaged) == reference, \
            f"staging {order} then again {restaged} disagrees with staging in date order"

    every_order()
