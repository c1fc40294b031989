"""The MLB Stats API simulator: season shape, box score consistency, fidelity to real responses, HTTP."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from pipeline.simulator.api import Simulator
from pipeline.simulator.server import start_in_thread
from pipeline.simulator.transport import SimulatorTransport

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "mlb-samples"
SEASON_START, SEASON_END = dt.date(2024, 3, 1), dt.date(2024, 10, 31)
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"real MLB Stats API samples not found at {SAMPLES}"
)


@pytest.fixture(scope="module")
def sim() -> Simulator:
    return Simulator(seed=7, season=2024)


def get_json(sim: Simulator, path: str, **query: str) -> Any:
    status, headers, body = sim.handle("GET", path, query)
    assert status == 200, body
    assert headers["Content-Type"] == "application/json;charset=UTF-8"
    return json.loads(body)


def season_schedule(sim: Simulator) -> dict[str, Any]:
    return get_json(sim, "/api/v1/schedule", sportId="1", startDate=SEASON_START.isoformat(),
                    endDate=SEASON_END.isoformat())


def entries(schedule: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(d["date"], g) for d in schedule["dates"] for g in d["games"]]


def sample(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- season


def test_season_has_30_teams_and_2430_games_of_162_per_team(sim: Simulator) -> None:
    teams = get_json(sim, "/api/v1/teams", sportId="1", season="2024")["teams"]
    assert len(teams) == 30 and len({t["id"] for t in teams}) == 30
    final = [g for _, g in entries(season_schedule(sim)) if g["status"]["detailedState"] == "Final"]
    assert len(final) == 2430 and len({g["gamePk"] for g in final}) == 2430
    assert all(g["gameType"] == "R" for g in final)
    played, home = Counter(), Counter()
    for g in final:
        played[g["teams"]["away"]["team"]["id"]] += 1
        played[g["teams"]["home"]["team"]["id"]] += 1
        home[g["teams"]["home"]["team"]["id"]] += 1
    assert set(played) == {t["id"] for t in teams}
    assert set(played.values()) == {162} and set(home.values()) == {81}
    days = sorted({g["officialDate"] for g in final})
    assert days[0][:7] in ("2024-03", "2024-04") and days[-1][:7] in ("2024-09", "2024-10")


def test_gamepks_are_unique_six_digit_ints(sim: Simulator) -> None:
    pks = [g["game_pk"] for g in sim.games(SEASON_START, SEASON_END) if g["status"] == "Final"]
    assert len(pks) == len(set(pks)) == 2430
    assert all(isinstance(pk, int) and 100000 <= pk <= 999999 for pk in pks)


def test_postponed_games_reappear_later_as_game_two_of_a_doubleheader(sim: Simulator) -> None:
    schedule = entries(season_schedule(sim))
    postponed = [(d, g) for d, g in schedule if g["status"]["detailedState"] == "Postponed"]
    assert 0.01 <= len(postponed) / 2430 <= 0.02
    by_pk_final = {g["gamePk"]: (d, g) for d, g in schedule if g["status"]["detailedState"] == "Final"}
    for day, g in postponed:
        status = g["status"]
        assert (status["codedGameState"], status["abstractGameState"], status["abstractGameCode"]) == ("D", "Final", "F")
        assert status["statusCode"] in ("DR", "DI")
        assert "score" not in g["teams"]["away"] and "score" not in g["teams"]["home"]
        assert "isWinner" not in g["teams"]["home"]
        # Shown on its original date (gameDate is UTC: a night game's can be the next day).
        assert 0 <= (dt.date.fromisoformat(g["gameDate"][:10]) - dt.date.fromisoformat(day)).days <= 1
        assert day < g["rescheduleGameDate"]
        make_up_day, make_up = by_pk_final[g["gamePk"]]  # same gamePk, played later
        assert make_up_day == g["rescheduleGameDate"] == g["officialDate"] == make_up["officialDate"]
        assert make_up["gameDate"] == g["rescheduleDate"]
        assert make_up["rescheduledFromDate"] == day and make_up["rescheduledFrom"] == g["gameDate"]
        assert make_up["doubleHeader"] in ("Y", "S") and make_up["gameNumber"] == 2
        partners = [x for d, x in schedule if d == make_up_day and x["gameNumber"] == 1
                    and x["teams"]["home"]["team"] == make_up["teams"]["home"]["team"]]
        assert len(partners) == 1 and partners[0]["doubleHeader"] == make_up["doubleHeader"]


def test_regular_doubleheaders_exist_besides_make_ups(sim: Simulator) -> None:
    games = [g for g in sim.games(SEASON_START, SEASON_END) if g["status"] == "Final"]
    scheduled = [g for g in games if g["double_header"] != "N" and g["game_number"] == 2
                 and g["rescheduled_from"] is None]
    assert scheduled


def test_final_scores_follow_baseball_rules(sim: Simulator) -> None:
    for g in sim.season.games:
        assert g.away_score != g.home_score and g.innings >= 9
        if len(g.home_line) < len(g.away_line):
            assert g.home_score > g.away_score  # home led after the top half: no bottom played
    assert any(g.innings > 9 for g in sim.season.games)


def test_schedule_single_date_filters_and_totals(sim: Simulator) -> None:
    day = get_json(sim, "/api/v1/schedule", sportId="1", date="2024-07-02")
    assert [d["date"] for d in day["dates"]] == ["2024-07-02"]
    block = day["dates"][0]
    assert block["totalGames"] == block["totalItems"] == len(block["games"]) == day["totalGames"]
    assert block["events"] == [] and day["totalGamesInProgress"] == 0
    assert get_json(sim, "/api/v1/schedule", sportId="1", date="2024-07-02", gameType="S,E")["dates"] == []
    assert get_json(sim, "/api/v1/schedule", sportId="1", date="2024-07-02", gameType="S,R") == day
    assert get_json(sim, "/api/v1/schedule", sportId="1", date="2024-12-25")["totalGames"] == 0
    week = get_json(sim, "/api/v1/schedule", sportId="1", startDate="2024-07-01", endDate="2024-07-07")
    assert [d["date"] for d in week["dates"]] == sorted({d["date"] for d in week["dates"]})
    assert week["totalGames"] == sum(d["totalGames"] for d in week["dates"])
    truth = sim.games(dt.date(2024, 7, 1), dt.date(2024, 7, 7))
    assert [g["game_pk"] for g in truth] == [g["gamePk"] for _, g in entries(week)]


def test_same_seed_is_byte_identical_regardless_of_request_order() -> None:
    a, b = Simulator(seed=11), Simulator(seed=11)
    pks = [g["game_pk"] for g in a.games(dt.date(2024, 5, 1), dt.date(2024, 5, 3)) if g["status"] == "Final"][:4]
    first = [a.handle("GET", f"/api/v1/game/{pk}/boxscore", {})[2] for pk in pks]
    second = [b.handle("GET", f"/api/v1/game/{pk}/boxscore", {})[2] for pk in reversed(pks)]
    assert first == list(reversed(second))
    query = {"sportId": "1", "startDate": "2024-04-01", "endDate": "2024-09-30"}
    assert a.handle("GET", "/api/v1/schedule", query) == b.handle("GET", "/api/v1/schedule", query)
    other = Simulator(seed=12)
    assert other.handle("GET", "/api/v1/schedule", query)[2] != a.handle("GET", "/api/v1/schedule", query)[2]


# --------------------------------------------------------------------------- box scores


def implied_outs(batting: dict[str, int]) -> int:
    """Outs a lineup made, from its batting totals (no pickoffs or outs on the bases here)."""
    return (batting["atBats"] - batting["hits"] + batting["sacFlies"] + batting["sacBunts"]
            + batting["groundIntoDoublePlay"] + 2 * batting["groundIntoTriplePlay"]
            + batting["caughtStealing"] + batting["pickoffs"])


@pytest.fixture(scope="module")
def random_finals(sim: Simulator) -> list[dict[str, Any]]:
    finals = [g for g in sim.games(SEASON_START, SEASON_END) if g["status"] == "Final"]
    return random.Random(2024).sample(finals, 30)


def test_boxscore_runs_match_players_team_and_schedule(sim: Simulator, random_finals: list[dict]) -> None:
    for g in random_finals:
        box = sim.boxscore(g["game_pk"])
        for side in ("away", "home"):
            team = box["teams"][side]
            players = [p["stats"]["batting"] for p in team["players"].values() if p["stats"]["batting"]]
            assert sum(p["runs"] for p in players) == team["teamStats"]["batting"]["runs"] == g[f"{side}_score"]
            assert team["team"]["id"] == g[f"{side}_team_id"]


def test_boxscore_team_batting_is_the_sum_of_player_lines(sim: Simulator, random_finals: list[dict]) -> None:
    summed = ("hits", "runs", "atBats", "homeRuns", "rbi", "baseOnBalls", "strikeOuts", "doubles", "triples",
              "stolenBases", "caughtStealing", "hitByPitch", "sacFlies", "sacBunts", "plateAppearances",
              "totalBases", "leftOnBase", "groundIntoDoublePlay", "flyOuts", "groundOuts", "airOuts")
    for g in random_finals:
        for team in sim.boxscore(g["game_pk"])["teams"].values():
            lines = [p["stats"]["batting"] for p in team["players"].values() if p["stats"]["batting"]]
            total = team["teamStats"]["batting"]
            for key in summed:
                assert sum(line[key] for line in lines) == total[key], key
            for line in lines + [total]:
                assert line["plateAppearances"] == (line["atBats"] + line["baseOnBalls"] + line["hitByPitch"]
                                                    + line["sacFlies"] + line["sacBunts"]
                                                    + line["catchersInterference"])
                assert line["hits"] >= line["doubles"] + line["triples"] + line["homeRuns"]
                assert line["totalBases"] == (line["hits"] + line["doubles"] + 2 * line["triples"]
                                              + 3 * line["homeRuns"])


def test_boxscore_pitchers_account_for_the_other_lineup(sim: Simulator, random_finals: list[dict]) -> None:
    for g in random_finals:
        teams = sim.boxscore(g["game_pk"])["teams"]
        for side, other in (("away", "home"), ("home", "away")):
            lines = [p["stats"]["pitching"] for p in teams[side]["players"].values() if p["stats"]["pitching"]]
            pitching = teams[side]["teamStats"]["pitching"]
            opposing = teams[other]["teamStats"]["batting"]
            outs = sum(line["outs"] for line in lines)
            assert outs == pitching["outs"] == implied_outs(opposing)
            for line in lines + [pitching]:
                assert line["inningsPitched"] == f"{line['outs'] // 3}.{line['outs'] % 3}"
                assert line["earnedRuns"] <= line["runs"]
            for key in ("hits", "runs", "baseOnBalls", "strikeOuts", "homeRuns", "hitByPitch"):
                assert sum(line[key] for line in lines) == opposing[key], key
            assert teams[side]["teamStats"]["fielding"]["putOuts"] == outs
        if g["innings"] == 9 and g["home_score"] > g["away_score"]:
            home_outs = teams["home"]["teamStats"]["pitching"]["outs"]
            assert home_outs == 27
            away_outs = teams["away"]["teamStats"]["pitching"]["outs"]
            assert away_outs <= 26  # the home side never made 27 outs: it won or skipped its 9th


def test_home_team_leading_after_eight_and_a_half_does_not_bat(sim: Simulator) -> None:
    game = next(g for g in sim.season.games if g.innings == 9 and len(g.home_line) == 8)
    teams = sim.boxscore(game.pk)["teams"]
    assert teams["home"]["teamStats"]["pitching"]["outs"] == 27
    assert teams["away"]["teamStats"]["pitching"]["outs"] == 24


def test_boxscore_decisions_and_who_played(sim: Simulator, random_finals: list[dict]) -> None:
    for g in random_finals:
        box = sim.boxscore(g["game_pk"])
        winner = "home" if g["home_score"] > g["away_score"] else "away"
        for side, team in box["teams"].items():
            lines = [p["stats"]["pitching"] for p in team["players"].values() if p["stats"]["pitching"]]
            assert sum(line["wins"] for line in lines) == (1 if side == winner else 0)
            assert sum(line["losses"] for line in lines) == (0 if side == winner else 1)
            assert sum(line["saves"] for line in lines) <= (1 if side == winner else 0)
            players = team["players"]
            assert len(players) == 26
            assert sum(p["position"]["abbreviation"] == "P" for p in players.values()) == 13
            assert set(team["pitchers"]) <= set(team["batters"])  # pitchers are listed as batters too
            for pid in team["pitchers"]:
                assert players[f"ID{pid}"]["stats"]["batting"] == {}  # universal DH: they never bat
            for pid in team["bench"] + team["bullpen"]:
                stats = players[f"ID{pid}"]["stats"]
                assert stats == {"batting": {}, "pitching": {}, "fielding": {}}
                assert "allPositions" not in players[f"ID{pid}"]
            orders = [players[f"ID{pid}"]["battingOrder"] for pid in team["batters"] if pid not in team["pitchers"]]
            assert [o for o in orders if o.endswith("00")] == [f"{i}00" for i in range(1, 10)]
            assert len(team["battingOrder"]) == 9


def test_boxscore_size_no_gamepk_and_stable_player_identity(sim: Simulator, random_finals: list[dict]) -> None:
    people: dict[int, tuple[str, str]] = {}
    for g in random_finals[:10]:
        status, _, body = sim.handle("GET", f"/api/v1/game/{g['game_pk']}/boxscore", {})
        assert status == 200 and 150 * 1024 <= len(body) <= 200 * 1024
        box = json.loads(body)
        assert "gamePk" not in box and b'"gamePk"' not in body
        for team in box["teams"].values():
            for entry in team["players"].values():
                person = entry["person"]
                known = people.setdefault(person["id"], (person["fullName"], person["boxscoreName"]))
                assert known == (person["fullName"], person["boxscoreName"])


def test_postponed_pk_returns_the_make_up_box_score(sim: Simulator) -> None:
    postponed = next(g for g in sim.games(SEASON_START, SEASON_END) if g["status"] == "Postponed")
    make_up = next(g for g in sim.games(postponed["reschedule_date"], postponed["reschedule_date"])
                   if g["game_pk"] == postponed["game_pk"] and g["status"] == "Final")
    box = sim.boxscore(postponed["game_pk"])
    assert box["teams"]["home"]["teamStats"]["batting"]["runs"] == make_up["home_score"]


def test_boxscore_value_types(sim: Simulator, random_finals: list[dict]) -> None:
    box = sim.boxscore(random_finals[0]["game_pk"])
    team = box["teams"]["home"]
    assert isinstance(team["teamStats"]["batting"]["avg"], str)
    assert isinstance(team["teamStats"]["pitching"]["era"], str)
    for entry in team["players"].values():
        assert isinstance(entry["jerseyNumber"], str) and isinstance(entry["person"]["id"], int)
        season = entry["seasonStats"]
        for key in ("avg", "obp", "slg", "ops"):
            assert isinstance(season["batting"][key], str)
        for key in ("era", "whip", "inningsPitched"):
            assert isinstance(season["pitching"][key], str)
        assert isinstance(season["pitching"]["outs"], int)
        pitching = entry["stats"]["pitching"]
        if pitching:
            assert isinstance(pitching["inningsPitched"], str) and isinstance(pitching["outs"], int)
            assert season["pitching"]["outs"] >= pitching["outs"]
        if entry["stats"]["batting"]:
            assert season["batting"]["hits"] >= entry["stats"]["batting"]["hits"]
        if "battingOrder" in entry:
            assert isinstance(entry["battingOrder"], str) and len(entry["battingOrder"]) == 3


def test_schedule_value_types(sim: Simulator) -> None:
    game = get_json(sim, "/api/v1/schedule", sportId="1", date="2024-07-02")["dates"][0]["games"][0]
    assert isinstance(game["gamePk"], int) and game["season"] == "2024"
    assert game["gameDate"].endswith("Z") and len(game["officialDate"]) == 10
    assert isinstance(game["teams"]["home"]["score"], int)
    assert isinstance(game["teams"]["home"]["leagueRecord"]["pct"], str)


# --------------------------------------------------------------------------- fidelity to real responses


@needs_samples
def test_schedule_game_keys_match_real_samples(sim: Simulator) -> None:
    real_final = sample("schedule/2024-07-02.json")["dates"][0]["games"][0]
    real_postponed = next(g for g in sample("schedule/2022-04-07.json")["dates"][0]["games"]
                          if g["status"]["detailedState"] == "Postponed")
    ours = entries(season_schedule(sim))
    final = next(g for _, g in ours if g["status"]["detailedState"] == "Final" and "description" not in g
                 and "rescheduledFrom" not in g)
    postponed = next(g for _, g in ours if g["status"]["detailedState"] == "Postponed")
    assert set(final) == set(real_final)
    assert set(final["status"]) == set(real_final["status"])
    assert set(final["teams"]["home"]) == set(real_final["teams"]["home"])
    # The 2022 file predates gameGuid; the opener description is optional.
    optional = {"gameGuid", "description"}
    assert set(postponed) - optional == set(real_postponed) - optional
    assert set(postponed["status"]) == set(real_postponed["status"])
    assert set(postponed["teams"]["away"]) == set(real_postponed["teams"]["away"])


@needs_samples
def test_boxscore_keys_match_real_sample(sim: Simulator, random_finals: list[dict]) -> None:
    real = sample("boxscore/744914.json")
    ours = sim.boxscore(random_finals[0]["game_pk"])
    assert list(ours) == list(real)
    real_team, team = real["teams"]["away"], ours["teams"]["away"]
    assert list(team) == list(real_team)
    assert list(team["team"]) == list(real_team["team"])
    for kind in ("batting", "pitching", "fielding"):
        assert list(team["teamStats"][kind]) == list(real_team["teamStats"][kind]), kind

    def pick(t: dict, pred: Any) -> dict:
        return next(p for p in t["players"].values() if pred(p))

    starter = lambda p: p.get("battingOrder") == "100"  # noqa: E731
    pitcher = lambda p: p["stats"]["pitching"] and "gamesStarted" in p["stats"]["fielding"]  # noqa: E731
    idle = lambda p: p["gameStatus"]["isOnBench"]  # noqa: E731
    for pred in (starter, pitcher, idle):
        mine, theirs = pick(team, pred), pick(real_team, pred)
        assert list(mine) == list(theirs)
        for block in ("stats", "seasonStats"):
            for kind in ("batting", "pitching", "fielding"):
                drop = {"note"}  # decision and substitution notes come and go
                assert [k for k in mine[block][kind] if k not in drop] == \
                       [k for k in theirs[block][kind] if k not in drop], (block, kind)
    assert {p["type"] for p in ours["topPerformers"]} <= {"starter", "hitter"}
    assert list(ours["officials"][0]) == list(real["officials"][0])


@needs_samples
def test_teams_match_real_2024_clubs(sim: Simulator) -> None:
    real = {t["id"]: t for t in sample("teams/2024.json")["teams"]}
    ours = {t["id"]: t for t in get_json(sim, "/api/v1/teams", sportId="1", season="2024")["teams"]}
    assert set(ours) == set(real)
    for team_id, team in ours.items():
        assert list(team) == list(real[team_id])
        for key in ("name", "abbreviation", "teamName", "locationName", "shortName", "franchiseName", "clubName",
                    "teamCode", "fileCode", "firstYearOfPlay", "league", "division", "venue", "springLeague",
                    "springVenue", "sport", "season"):
            assert team[key] == real[team_id][key], (team_id, key)


# --------------------------------------------------------------------------- HTTP


@pytest.fixture(scope="module")
def server(sim: Simulator) -> Any:
    url, stop = start_in_thread(simulator=sim)
    yield url
    stop()


def test_http_server_answers_like_the_api(sim: Simulator, server: str) -> None:
    sim.reset_counts()
    pk = sim.games(dt.date(2024, 6, 1), dt.date(2024, 6, 1))[0]["game_pk"]
    with httpx.Client(base_url=server, timeout=10) as client:
        r = client.get("/api/v1/schedule", params={"sportId": 1, "date": "2024-06-01"})
        assert r.status_code == 200 and r.headers["content-type"] == "application/json;charset=UTF-8"
        assert r.json()["dates"][0]["games"][0]["gamePk"] == pk
        box = client.get(f"/api/v1/game/{pk}/boxscore")
        assert box.status_code == 200 and box.content == json.dumps(sim.boxscore(pk), ensure_ascii=False,
                                                                    separators=(",", ":")).encode()
        assert int(box.headers["content-length"]) == len(box.content)
        etag = box.headers["etag"]
        assert etag.startswith('"') and box.headers["last-modified"].endswith("GMT")
        again = client.get(f"/api/v1/game/{pk}/boxscore", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        teams = client.get("/api/v1/teams", params={"sportId": 1, "season": 2024})
        assert teams.status_code == 200 and len(teams.json()["teams"]) == 30
        missing = client.get("/api/v1/game/999999/boxscore")
        assert missing.status_code == 404 and missing.json()["messageNumber"] == 10
        assert missing.json()["message"] == "Object not found"
        bad = client.get("/api/v1/schedule", params={"sportId": 1, "date": "2024-13-45"})
        assert bad.status_code == 400 and "2024-13-45" in bad.json()["message"]
        assert client.get("/api/v1/nothing").status_code == 404
        # A repeated query key keeps its last value.
        last = client.get("/api/v1/schedule?sportId=1&date=2024-13-45&date=2024-06-01")
        assert last.status_code == 200 and last.json()["dates"][0]["date"] == "2024-06-01"
        stats = client.get("/__sim/stats").json()
    assert stats == {"requests": {"schedule": 3, "boxscore": 3, "teams": 1, "other": 1}, "total": 8}
    assert sim.request_counts() == stats["requests"]


def test_transport_gives_identical_bodies_sync_and_async(sim: Simulator, server: str) -> None:
    pk = sim.games(dt.date(2024, 8, 10), dt.date(2024, 8, 10))[0]["game_pk"]
    paths = [("/api/v1/schedule", {"sportId": "1", "date": "2024-08-10"}), (f"/api/v1/game/{pk}/boxscore", {}),
             ("/api/v1/teams", {"sportId": "1", "season": "2024"}), ("/api/v1/game/1/boxscore", {})]
    with httpx.Client(base_url=server) as real, \
            httpx.Client(transport=SimulatorTransport(sim), base_url="http://sim") as local:
        for path, params in paths:
            a, b = real.get(path, params=params), local.get(path, params=params)
            assert (a.status_code, a.content, a.headers.get("etag")) == (b.status_code, b.content, b.headers.get("etag"))

    async def fetch() -> list[bytes]:
        async with httpx.AsyncClient(transport=SimulatorTransport(sim), base_url="http://sim") as client:
            return [(await client.get(path, params=params)).content for path, params in paths]

    with httpx.Client(base_url=server) as real:
        assert asyncio.run(fetch()) == [real.get(path, params=params).content for path, params in paths]


def test_request_counting_is_thread_safe() -> None:
    sim = Simulator(seed=3)

    def hammer() -> None:
        for _ in range(50):
            sim.handle("GET", "/api/v1/teams", {"sportId": "1", "season": "2024"})

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sim.request_counts()["teams"] == 400
    sim.reset_counts()
    assert sum(sim.request_counts().values()) == 0


def test_serve_prints_one_line_and_stops_on_sigterm() -> None:
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.simulator", "--port", "0", "--seed", "1"], cwd=root,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.startswith("simulator listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1]
        assert httpx.get(f"{url}/api/v1/teams", params={"sportId": 1, "season": 2024}).status_code == 200
        proc.terminate()
        assert proc.wait(timeout=10) == 0
        assert proc.stdout.read() == ""  # exactly one line
    finally:
        if proc.poll() is None:
            proc.kill()


def test_answers_are_the_bytes_the_standard_json_encoder_writes(sim: Simulator) -> None:
    """The simulator encodes with orjson for speed; its answers stay byte for byte what
    json.dumps(ensure_ascii=False, compact) wrote before (non-ASCII names as UTF-8)."""
    answers = [
        sim.handle("GET", "/api/v1/schedule", {"sportId": "1", "startDate": "2024-04-01", "endDate": "2024-04-30"})[2],
        sim.handle("GET", "/api/v1/teams", {"sportId": "1", "season": "2024"})[2],
    ]
    finals = [g for g in sim.games(dt.date(2024, 4, 1), dt.date(2024, 4, 3)) if g["status"] == "Final"][:6]
    answers += [sim.handle("GET", f"/api/v1/game/{g['game_pk']}/boxscore", {})[2] for g in finals]
    assert len(answers) == 8
    for body in answers:
        assert body == json.dumps(json.loads(body), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert any(b"\\u" not in body and any(byte > 127 for byte in body) for body in answers), "UTF-8, not escapes"
