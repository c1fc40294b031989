"""The staging SQL on real MLB Stats API responses from ../shared/mlb-samples (skipped,
with the reason, when that folder is absent)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.helpers import land, land_boxscore, land_schedule, rows, run_sql
from pipeline.sources import mlb

# game -> (official date, away team, home team), as the samples' README and payloads say
BOXSCORES = {744914: date(2024, 7, 1), 718096: date(2023, 5, 20)}
COUNTED_BATTING = {"runs": "runs", "hits": "hits", "at_bats": "atBats", "home_runs": "homeRuns",
                   "rbi": "rbi", "base_on_balls": "baseOnBalls", "strike_outs": "strikeOuts",
                   "doubles": "doubles", "triples": "triples"}


def schedule_for(game_pk: int, day: date, boxscore: dict) -> bytes:
    """A one-game schedule (in the real shape) so the box score has its game row."""
    teams = {side: {"team": {"id": boxscore["teams"][side]["team"]["id"]},
                    "score": boxscore["teams"][side]["teamStats"]["batting"]["runs"]}
             for side in ("away", "home")}
    game = {"gamePk": game_pk, "gameType": "R", "season": str(day.year), "officialDate": day.isoformat(),
            "gameDate": f"{day.isoformat()}T23:05:00Z", "gameNumber": 1, "doubleHeader": "N",
            "status": {"abstractGameState": "Final", "codedGameState": "F", "detailedState": "Final"},
            "teams": teams}
    return json.dumps({"dates": [{"date": day.isoformat(), "games": [game]}]}).encode()


@pytest.mark.parametrize("game_pk", sorted(BOXSCORES))
def test_real_boxscore_team_totals_equal_sum_of_player_lines(samples, dsn, conn, game_pk):
    day = BOXSCORES[game_pk]
    body = (samples / "boxscore" / f"{game_pk}.json").read_bytes()
    boxscore = json.loads(body)
    land_schedule(dsn, day, schedule_for(game_pk, day, boxscore))
    land_boxscore(dsn, game_pk, day, body)
    for name in ("staging/mlb/games", "staging/mlb/players", "staging/mlb/player_batting",
                 "staging/mlb/player_pitching"):
        run_sql(conn, name, partition_date=day)
    for side in ("away", "home"):
        team = boxscore["teams"][side]
        team_id = team["team"]["id"]
        sums = rows(conn, f"""select {", ".join(f"sum({c}) as {c}" for c in COUNTED_BATTING)}
                              from staging.mlb_player_batting where team_id = %s""", [team_id])[0]
        expected = {column: team["teamStats"]["batting"][field] for column, field in COUNTED_BATTING.items()}
        assert sums == expected, f"{game_pk} {side}: batting lines do not add up to the team's totals"
        outs = rows(conn, "select sum(outs) as outs, sum(runs) as runs from staging.mlb_player_pitching where team_id = %s",
                    [team_id])[0]
        assert outs == {"outs": team["teamStats"]["pitching"]["outs"], "runs": team["teamStats"]["pitching"]["runs"]}
        batted = {int(key[2:]) for key, player in team["players"].items() if player["stats"]["batting"]}
        lines = {r["player_id"] for r in rows(conn, "select player_id from staging.mlb_player_batting where team_id = %s", [team_id])}
        assert lines == batted, "a batting line for exactly the players with a non-empty batting dict"
    score = rows(conn, "select away_score, home_score from staging.mlb_games where game_pk = %s", [game_pk])[0]
    runs = rows(conn, """select sum(runs) filter (where team_id = %s) as away_score,
                                sum(runs) filter (where team_id = %s) as home_score
                         from staging.mlb_player_batting where game_pk = %s""",
                [boxscore["teams"]["away"]["team"]["id"], boxscore["teams"]["home"]["team"]["id"], game_pk])[0]
    assert runs == score, "player runs must sum to the schedule score"


def test_real_schedule_with_postponements(samples, dsn, conn):
    day = date(2022, 4, 7)
    land_schedule(dsn, day, (samples / "schedule" / "2022-04-07.json").read_bytes())
    assert run_sql(conn, "staging/mlb/games", partition_date=day) == 9
    postponed = rows(conn, """select game_pk, official_date, reschedule_date, away_score from staging.mlb_games
                              where detailed_state = 'Postponed' order by game_pk""")
    assert [(r["game_pk"], r["reschedule_date"], r["away_score"]) for r in postponed] == [
        (661333, date(2022, 4, 8), None), (661750, date(2022, 4, 8), None)]
    assert run_sql(conn, "games_to_fetch", tree=mlb.SOURCE.queries, partition_date=day, refetch=True) == 7, \
        "box scores are fetched for the 7 games played, not the postponed ones"


def test_real_midday_schedule_keeps_live_games_out_of_boxscore_fetch(samples, dsn, conn):
    day = date(2024, 7, 2)
    land_schedule(dsn, day, (samples / "schedule" / "2024-07-02.json").read_bytes())
    assert run_sql(conn, "staging/mlb/games", partition_date=day) == 15
    states = rows(conn, "select abstract_state, count(*) as n from staging.mlb_games group by 1 order by 1")
    assert states == [{"abstract_state": "Final", "n": 10}, {"abstract_state": "Live", "n": 5}]
    assert run_sql(conn, "games_to_fetch", tree=mlb.SOURCE.queries, partition_date=day, refetch=True) == 10


def test_real_teams(samples, dsn, conn):
    land(dsn, mlb.teams_request(2024), (samples / "teams" / "2024.json").read_bytes())
    assert run_sql(conn, "staging/mlb/teams", partition_date=date(2024, 1, 1)) == 30
    team = rows(conn, "select name, abbreviation, league_id, division_name from staging.mlb_teams where team_id = 133")[0]
    assert team == {"name": "Oakland Athletics", "abbreviation": "OAK", "league_id": 103,
                    "division_name": "American League West"}
