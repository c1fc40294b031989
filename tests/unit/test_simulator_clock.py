"""The simulator's clock (--today, /__sim/clock) and stat corrections (--correction-rate,
/__sim/corrections): what each date shows, and corrected box scores that stay consistent."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pipeline.simulator.api import Simulator

DAY = dt.date(2024, 5, 15)


def schedule(sim: Simulator, start: dt.date, end: dt.date) -> dict:
    status, _, body = sim.handle("GET", "/api/v1/schedule", {"sportId": "1", "startDate": start.isoformat(),
                                                             "endDate": end.isoformat()})
    assert status == 200
    return json.loads(body)


def states(body: dict) -> dict[str, set[str]]:
    return {d["date"]: {g["status"]["detailedState"] for g in d["games"]} for d in body["dates"]}


def test_without_a_clock_or_corrections_answers_are_unchanged() -> None:
    plain, explicit = Simulator(seed=2), Simulator(seed=2, today=None, correction_rate=0.0)
    for path, query in (("/api/v1/schedule", {"sportId": "1", "date": "2024-05-15"}),
                        ("/api/v1/game/%d/boxscore" % plain.games(DAY, DAY)[0]["game_pk"], {})):
        assert plain.handle("GET", path, query) == explicit.handle("GET", path, query)


def test_the_clock_makes_earlier_games_final_todays_live_and_later_ones_scheduled() -> None:
    sim = Simulator(seed=2, today=DAY)
    shown = schedule(sim, DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=1))
    by_day = states(shown)
    assert by_day[str(DAY - dt.timedelta(days=1))] <= {"Final", "Postponed"}
    assert by_day[str(DAY)] <= {"In Progress", "Scheduled"} and "In Progress" in by_day[str(DAY)]
    assert by_day[str(DAY + dt.timedelta(days=1))] == {"Scheduled"}
    live = [g for d in shown["dates"] for g in d["games"] if g["status"]["abstractGameState"] == "Live"]
    assert shown["totalGamesInProgress"] == len(live) > 0
    for game in live:
        final = sim.season.game(game["gamePk"])
        assert game["teams"]["away"]["score"] == sum(final.away_line[:5]) and "isWinner" not in game["teams"]["home"]
    later = next(g for d in shown["dates"] if d["date"] == str(DAY + dt.timedelta(days=1)) for g in d["games"])
    assert sim.handle("GET", f"/api/v1/game/{later['gamePk']}/boxscore", {})[0] == 404, "no box score before the game"

    status, _, body = sim.handle("POST", "/__sim/clock", {}, None, b'{"today": "2024-05-17"}')
    assert (status, json.loads(body)) == (200, {"today": "2024-05-17"})
    assert states(schedule(sim, DAY, DAY))[str(DAY)] <= {"Final", "Postponed"}
    assert sim.handle("POST", "/__sim/clock", {}, None, b'{"today": "May 17"}')[0] == 400
    assert sim.request_counts() == {"schedule": 2, "boxscore": 1, "teams": 0, "other": 0}, "control paths are not counted"


def test_a_rained_out_game_is_scheduled_until_its_date_and_its_make_up_appears_after() -> None:
    sim = Simulator(seed=2)
    game = next(g for g in sim.season.games if g.postponed_day is not None)
    before = Simulator(seed=2, today=game.postponed_day - dt.timedelta(days=1))
    original = [g for d in schedule(before, game.postponed_day, game.day)["dates"] for g in d["games"]
                if g["gamePk"] == game.pk]
    assert len(original) == 1, "only the original date lists the game before the rain-out"
    assert original[0]["status"]["detailedState"] == "Scheduled"
    assert original[0]["officialDate"] == game.postponed_day.isoformat()
    after = Simulator(seed=2, today=game.day + dt.timedelta(days=1))
    entries = [g["status"]["detailedState"] for d in schedule(after, game.postponed_day, game.day)["dates"]
               for g in d["games"] if g["gamePk"] == game.pk]
    assert entries == ["Postponed", "Final"]


@pytest.fixture(scope="module")
def corrected() -> Simulator:
    return Simulator(seed=4, correction_rate=0.5)


def test_corrections_change_players_and_team_totals_consistently(corrected: Simulator) -> None:
    start, end = dt.date(2024, 5, 1), dt.date(2024, 5, 3)
    changes = corrected.corrections(start, end)
    games = {c["game_pk"] for c in changes}
    assert len(games) >= 10
    assert {c["field"] for c in changes} >= {"batting.hits", "pitching.hits", "pitching.earnedRuns",
                                              "fielding.errors", "batting.totalBases"}
    for pk in games:
        _, _, body = corrected.handle("GET", f"/api/v1/game/{pk}/boxscore", {})
        box, original = json.loads(body), corrected.boxscore(pk)
        for change in (c for c in changes if c["game_pk"] == pk):
            group, field = change["field"].split(".")
            side = next(s for s in ("away", "home") if f"ID{change['player_id']}" in box["teams"][s]["players"])
            player = f"ID{change['player_id']}"
            assert original["teams"][side]["players"][player]["stats"][group][field] == change["old"]
            assert box["teams"][side]["players"][player]["stats"][group][field] == change["new"]
        for side in ("away", "home"):
            team = box["teams"][side]
            for group, field in (("batting", "hits"), ("batting", "runs"), ("batting", "totalBases"),
                                 ("pitching", "hits"), ("pitching", "earnedRuns"), ("pitching", "runs")):
                assert sum(p["stats"][group].get(field, 0) for p in team["players"].values()
                           if p["stats"][group]) == team["teamStats"][group][field], (pk, group, field)
            assert team["teamStats"]["batting"]["runs"] == original["teams"][side]["teamStats"]["batting"]["runs"]
        assert box["teams"]["away"]["teamStats"]["batting"]["hits"] == box["teams"]["home"]["teamStats"]["pitching"]["hits"]


def test_a_correction_appears_only_from_its_date(corrected: Simulator) -> None:
    change = corrected.corrections(dt.date(2024, 5, 1), dt.date(2024, 5, 1))[0]
    appeared = dt.date.fromisoformat(change["appeared_on"])
    clocked = Simulator(seed=4, correction_rate=0.5, today=appeared - dt.timedelta(days=1))
    path = f"/api/v1/game/{change['game_pk']}/boxscore"
    assert clocked.handle("GET", path, {})[2] == Simulator(seed=4).handle("GET", path, {})[2], "not corrected yet"
    assert change not in clocked.corrections(dt.date(2024, 5, 1), dt.date(2024, 5, 1))
    clocked.set_today(appeared)
    assert clocked.handle("GET", path, {})[2] == corrected.handle("GET", path, {})[2], "corrected from that date"
    _, _, body = clocked.handle("GET", "/__sim/corrections", {"start": "2024-05-01", "end": "2024-05-01"})
    assert change in json.loads(body)["corrections"]


def test_corrections_and_bad_data_together_answer_every_request() -> None:
    """A correction may touch the player whose person.id the bad data removed: the box
    score and /__sim/corrections still answer (the change names no player id)."""
    both = Simulator(seed=4, correction_rate=1.0, bad_data_rate=1.0)
    status, _, body = both.handle("GET", "/__sim/corrections", {"start": "2024-05-01", "end": "2024-05-07"})
    assert status == 200, body
    changes = json.loads(body)["corrections"]
    assert any(change["player_id"] is None for change in changes), "a correction met a player without an id"
    for pk in {change["game_pk"] for change in changes}:
        status, _, body = both.handle("GET", f"/api/v1/game/{pk}/boxscore", {})
        assert status == 200, (pk, body[:200])
