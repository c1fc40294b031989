"""The quality gate in a real run (procrastinate worker in-process, simulator as transport):
an error failure keeps the offending game out of curated and marks the run, the other
games of its date and the other date are promoted; malformed payloads are quarantined with a reason and the rest lands."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import date

import httpx

from pipeline import report
from pipeline.config import load_settings
from pipeline.runs.backfill import plan_backfill
from pipeline.runs.progress import run_and_wait
from pipeline.simulator import baddata
from pipeline.simulator.api import Simulator
from pipeline.sources import mlb
from pipeline.runs.runtime import worker_runtime
from tests.helpers import rows

GOOD_DAY, BAD_DAY = date(2024, 4, 16), date(2024, 4, 17)


def transport(sim: Simulator, faults: dict[int, str]) -> httpx.MockTransport:
    """The simulator in-process; `faults` maps a gamePk to a baddata fault for its box score."""

    def handle(request: httpx.Request) -> httpx.Response:
        status, headers, body = sim.handle(request.method, request.url.path, dict(request.url.params),
                                           dict(request.headers))
        for game_pk, fault in faults.items():
            if request.url.path == f"/api/v1/game/{game_pk}/boxscore":
                body = json.dumps(baddata.corrupt(json.loads(body), fault)).encode()
        return httpx.Response(status, headers={"content-type": "application/json"}, content=body)

    return httpx.MockTransport(handle)


def backfill(dsn: str, start: date, end: date, mock: httpx.MockTransport, concurrency: int = 2):
    async def go():
        planned = await plan_backfill(dsn, mlb.SOURCE, start, end)
        progress = await run_and_wait(worker_runtime(dsn, load_settings(), transport=mock), planned.run_id,
                                      concurrency=concurrency, stream=io.StringIO())
        return planned.run_id, progress

    return asyncio.run(go())


def played(sim: Simulator, day: date) -> list[int]:
    return [g["game_pk"] for g in sim.games(day, day) if g["status"] == "Final"]


def test_one_bad_game_holds_back_only_itself(dsn, conn, monkeypatch):
    """With one corrupted box score, only that game (its player lines and its score) stays
    out of curated; the other games of its date are promoted, and the date's totals say
    how many games were held back."""
    monkeypatch.setenv("PIPELINE_MLB_BASE_URL", "http://simulator.test")
    sim = Simulator(seed=3, season=2024)
    bad_game = played(sim, BAD_DAY)[0]

    run_id, progress = backfill(dsn, GOOD_DAY, BAD_DAY, transport(sim, {bad_game: "hits_over_at_bats"}))

    assert progress.status == "failed", "a blocked date is not done, so the run does not succeed"
    statuses = dict(conn.execute("select partition_key, status from ops.pipeline_checkpoints "
                                 "where endpoint = 'games'").fetchall())
    assert statuses == {GOOD_DAY: "done", BAD_DAY: "partial"}, "the blocked date ends partial, never done"
    run = rows(conn, "select quality_status from ops.pipeline_runs where run_id = %s", [run_id])[0]
    assert run["quality_status"] == "failed", "the run is marked as failing its quality gate"
    failed = rows(conn, """select check_name, partition_key from ops.data_quality_checks
                           where run_id = %s and not passed and severity = 'error'""", [run_id])
    assert {(r["check_name"], r["partition_key"]) for r in failed} == {("value_ranges", BAD_DAY)}
    blocked = rows(conn, "select partition_key, game_pk, failing_checks from ops.quality_blocked_games")
    assert blocked == [{"partition_key": BAD_DAY, "game_pk": bad_game, "failing_checks": ["value_ranges"]}]
    assert rows(conn, "select * from ops.quality_blocked_partitions") == [], "no whole date is blocked"

    curated_games = {r["game_pk"] for r in rows(conn, """
        select distinct batting.game_pk from curated.mlb_fantasy_points_daily as points
        join staging.mlb_player_batting as batting using (official_date, player_id)""")}
    staged = {r["game_pk"]: r["official_date"] for r in rows(
        conn, "select game_pk, official_date from staging.mlb_player_batting group by 1, 2")}
    bad_day_games = {pk for pk, day in staged.items() if day == BAD_DAY}
    assert len(bad_day_games) > 1
    assert curated_games >= bad_day_games - {bad_game}, "the other games of the bad date are promoted"
    bad_players = {r["player_id"] for r in rows(
        conn, "select player_id from staging.mlb_player_batting where game_pk = %s", [bad_game])}
    promoted = {r["player_id"] for r in rows(
        conn, "select player_id from curated.mlb_fantasy_points_daily where official_date = %s", [BAD_DAY])}
    assert not (bad_players & promoted), "the bad game's player lines stay out of the daily points"

    season_hits = rows(conn, "select sum(hits) as hits from curated.mlb_player_season_batting")[0]["hits"]
    good_hits = rows(conn, """select sum(batting.hits) as hits from staging.mlb_player_batting as batting
                              join staging.mlb_games as games using (game_pk)
                              where games.game_type = 'R' and batting.game_pk <> %s""", [bad_game])[0]["hits"]
    assert season_hits == good_hits, "season totals leave out only the bad game"
    played_games = rows(conn, "select sum(games_played) as n from curated.mlb_team_standings")[0]["n"]
    final_games = rows(conn, """select count(*) as n from staging.mlb_games where game_type = 'R'
                                and abstract_state = 'Final' and coded_game_state not in ('D', 'C')""")[0]["n"]
    assert played_games == 2 * (final_games - 1), "the bad game's score is not in the standings"

    totals = {r["official_date"]: r for r in rows(conn, "select * from curated.mlb_daily_totals")}
    assert totals[BAD_DAY]["games_held_back"] == 1 and totals[BAD_DAY]["held_back_game_pks"] == [bad_game]
    assert totals[BAD_DAY]["games_promoted"] == totals[BAD_DAY]["games_final"] - 1
    assert totals[GOOD_DAY]["games_held_back"] == 0

    summary = report.summary_report(conn, mlb.SOURCE, run_id)
    assert "held_back_games" in summary and str(bad_game) in summary, "the summary names the held-back game"

    kept = rows(conn, "select count(*) as n from staging.mlb_player_batting where game_pk = %s", [bad_game])
    assert kept[0]["n"] > 0, "the bad game's rows are kept in staging"
    quarantined = rows(conn, "select row_key from ops.quarantined_rows where partition_key = %s", [BAD_DAY])
    assert len(quarantined) == 1 and quarantined[0]["row_key"]["game_pk"] == bad_game


def test_malformed_payloads_are_quarantined_with_a_reason_and_the_rest_lands(dsn, conn, monkeypatch):
    monkeypatch.setenv("PIPELINE_MLB_BASE_URL", "http://simulator.test")
    sim = Simulator(seed=3, season=2024)
    games = played(sim, GOOD_DAY)
    faults = {games[0]: "missing_player_id", games[1]: "duplicated_player"}

    run_id, progress = backfill(dsn, GOOD_DAY, GOOD_DAY, transport(sim, faults))

    assert progress.status == "failed", "a date with quarantined answers is not done"
    assert conn.execute("select status from ops.pipeline_checkpoints where endpoint = 'games'").fetchone()[0] \
        == "partial"
    letters = conn.execute("select request_key, error_class from ops.dead_letters where resolved_at is null "
                           "order by request_key").fetchall()
    assert letters == sorted((f"/api/v1/game/{pk}/boxscore", "Quarantined") for pk in games[:2]), \
        "each quarantined answer is an open dead letter"
    refused = rows(conn, "select request_key, reason from ops.raw_quarantine order by request_key")
    reasons = {r["request_key"].split("/")[4]: r["reason"] for r in refused}
    assert reasons == {str(games[0]): "a player without person.id",
                       str(games[1]): "1 repeated value(s) of $.teams.*.players.*.person.id"}
    landed = {r["game_pk"] for r in rows(conn, "select distinct game_pk from staging.mlb_player_batting")}
    assert landed == set(games[2:]), "every other game of the day reached staging"
    versions = rows(conn, "select table_name, first_raw_id from ops.raw_schema_versions order by schema_version")
    assert {v["table_name"] for v in versions} >= {"mlb_schedule", "mlb_boxscore", "mlb_teams"}
    unstamped = rows(conn, "select count(*) as n from raw.mlb_boxscore where schema_version is null")[0]["n"]
    assert unstamped == 0, "every landed payload has a schema version"
