"""Nothing lost, whatever the API sends: against a small bad HTTP server of the test's own
(NUL characters, nesting thousands deep, a 50 MB body, the wrong shape, a quarantined or
quality-blocking box score, a trickle of one byte every half second, an emptied schedule),
one bad answer costs one item: the rest of the date lands, the partition ends `partial`
(never `done`) with an open dead letter, a plain re-run recovers every missing game once
the server is fixed, and staging then equals a clean load."""

from __future__ import annotations

import asyncio
import io
import time
from datetime import date

import psycopg
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import load_settings
from pipeline.jobs.app import JOB_RETRY
from pipeline.runs.backfill import plan_backfill
from pipeline.runs.progress import run_and_wait
from pipeline.runs.replay import plan_replay
from pipeline.runs.retry import plan_retry
from pipeline.runs.runtime import worker_runtime
from pipeline.simulator.api import Simulator
from pipeline.sources import mlb
from tests.bad_server import BadServer

DAY = date(2024, 4, 16)
SCHEDULE = "/api/v1/schedule"
STAGING = ("mlb_games", "mlb_teams", "mlb_players", "mlb_player_batting", "mlb_player_pitching")


@pytest.fixture
def sim() -> Simulator:
    return Simulator(seed=3, season=2024)


@pytest.fixture
def server(sim, monkeypatch):
    monkeypatch.setenv("PIPELINE_MLB_RATE_LIMIT", "0")
    monkeypatch.setenv("PIPELINE_MLB_BREAKER_THRESHOLD", "0")
    monkeypatch.setenv("PIPELINE_MLB_MAX_ATTEMPTS", "2")
    monkeypatch.setenv("PIPELINE_MLB_REQUEST_DEADLINE", "2")
    monkeypatch.setattr(JOB_RETRY, "wait", 0.0)
    monkeypatch.setattr(JOB_RETRY, "exponential_wait", 0.0)
    with BadServer(sim) as bad:
        monkeypatch.setenv("PIPELINE_MLB_BASE_URL", bad.url)
        yield bad


def work(dsn: str, plan) -> str:
    async def go():
        planned = await plan()
        progress = await run_and_wait(worker_runtime(dsn, load_settings()), planned.run_id, concurrency=4,
                                      stream=io.StringIO())
        return progress.status

    return asyncio.run(go())


def backfill(dsn: str, *, force: bool = False) -> str:
    return work(dsn, lambda: plan_backfill(dsn, mlb.SOURCE, DAY, DAY, force=force))


def recover(dsn: str, how: str, run_id: int) -> str:
    """A plain backfill, `run retry` of the run, or `dlq replay --all`: none forced."""
    if how == "retry":
        return work(dsn, lambda: plan_retry(dsn, run_id))
    if how == "replay":
        return work(dsn, lambda: plan_replay(dsn, mlb.SOURCE, None))
    return backfill(dsn)


def played(sim: Simulator) -> list[int]:
    return [g["game_pk"] for g in sim.games(DAY, DAY) if g["status"] == "Final" and g.get("away_score") is not None]


def boxscore(game_pk: int) -> str:
    return f"/api/v1/game/{game_pk}/boxscore"


def games_status(conn) -> str:
    return conn.execute("select status from ops.pipeline_checkpoints where endpoint = 'games'").fetchone()[0]


def staged_games(conn) -> set[int]:
    return {pk for (pk,) in conn.execute("select distinct game_pk from staging.mlb_player_batting")}


def staging_snapshot(conn) -> dict[str, list[str]]:
    """Every staging row without its lineage and timestamps: what a load means."""
    return {table: [row[0] for row in conn.execute(
        f"select (to_jsonb(t) - 'raw_id' - 'updated_at' - 'created_at' - 'last_game_raw_id')::text "
        f"from staging.{table} as t order by 1")] for table in STAGING}


def open_letters(conn) -> list[tuple[str, str]]:
    return conn.execute("select request_key, error_class from ops.dead_letters where resolved_at is null "
                        "order by request_key").fetchall()


# kind -> (the error class of its letter, whether the bad game's rows reach staging anyway,
#          how the date is recovered once the server is fixed)
BOX_SCORE_KINDS = {
    "nul": ("BadBody", False, "replay"),
    "deep": ("BadBody", False, "backfill"),
    "huge": ("BadBody", False, "backfill"),
    "wrong_shape": ("ItemFailed", False, "retry"),
    "quarantined": ("Quarantined", False, "replay"),
    "trickle": ("TransientError", False, "backfill"),
    "blocked": (None, True, "retry"),  # stored and staged, then an error check blocks the date
}


@pytest.mark.parametrize("kind", list(BOX_SCORE_KINDS))
def test_one_bad_box_score_costs_one_item_and_a_plain_rerun_recovers_it(dsn, conn, make_database, sim, server,
                                                                        kind):
    games = played(sim)
    bad = games[0]
    server.spoil[boxscore(bad)] = kind
    letter_class, staged_anyway, how = BOX_SCORE_KINDS[kind]

    started = time.monotonic()
    assert backfill(dsn) == "failed", "a run with a partial date does not succeed"
    assert time.monotonic() - started < 60, "a bad answer does not hold the job"
    assert games_status(conn) == "partial", f"a date with a {kind} answer is partial, never done"
    assert staged_games(conn) == (set(games) if staged_anyway else set(games[1:])), "the rest of the date landed"
    if letter_class:
        assert open_letters(conn) == [(boxscore(bad), letter_class)], "the bad answer is an open dead letter"
        listed = CliRunner().invoke(main, ["dlq", "list"], env={"DATABASE_URL": dsn})
        assert listed.exit_code == 0 and boxscore(bad) in listed.output and letter_class in listed.output, \
            "`pipeline dlq list` shows it"
    else:
        held_back = conn.execute("select game_pk from ops.quality_blocked_games").fetchall()
        assert held_back == [(bad,)], "the error check holds back the bad game (per game, issue 9)"

    server.spoil.clear()
    server.requests.clear()
    first_run = conn.execute("select max(run_id) from ops.pipeline_runs").fetchone()[0]
    assert recover(dsn, how, first_run) == "succeeded", f"a plain {how} (no --force) picks the partial date up again"
    assert games_status(conn) == "done"
    assert staged_games(conn) == set(games)
    assert open_letters(conn) == [], "what landed resolved its letter"
    assert conn.execute("select count(*) from ops.quality_blocked_partitions").fetchone()[0] == 0
    assert conn.execute("select count(*) from ops.quality_blocked_games").fetchone()[0] == 0
    # only the bad game's box score is fetched again (a held-back game, a missing one)
    assert {path for path in server.requests if "/boxscore" in path} == {boxscore(bad)}

    clean = make_database()
    assert backfill(clean) == "succeeded"
    with psycopg.connect(clean) as clean_conn:
        assert staging_snapshot(conn) == staging_snapshot(clean_conn), "staging equals a clean load"


def test_a_huge_schedule_is_a_dead_letter_and_a_plain_rerun_recovers_the_date(dsn, conn, sim, server):
    server.spoil[SCHEDULE] = "huge"
    assert backfill(dsn) == "failed"
    assert games_status(conn) == "failed", "without its schedule the date cannot land anything"
    (letter,) = conn.execute("select endpoint, error_class, error_message, attempts from ops.dead_letters "
                             "where resolved_at is null").fetchall()
    assert letter[:2] == ("schedule", "BadBody") and "over the limit" in letter[2]
    assert letter[3] == JOB_RETRY.max_attempts + 1, "each attempt of the job counts on the letter"

    server.spoil.clear()
    assert backfill(dsn) == "succeeded"
    assert games_status(conn) == "done" and staged_games(conn) == set(played(sim))
    assert open_letters(conn) == []


def test_an_emptied_schedule_is_quarantined_and_the_date_partial(dsn, conn, sim, server):
    assert backfill(dsn) == "succeeded"
    games = staged_games(conn)

    server.spoil[SCHEDULE] = "empty_schedule"  # 200, "dates": [], where the last version had games
    assert backfill(dsn, force=True) == "failed"
    assert games_status(conn) == "partial", "a suspiciously empty schedule does not mark the date done"
    assert [cls for _, cls in open_letters(conn)] == ["Quarantined"]
    assert conn.execute("select count(*) from staging.mlb_games where official_date = %s", [DAY]).fetchone()[0] \
        == len(sim.games(DAY, DAY)), "staging keeps reading the last good schedule"

    server.spoil.clear()
    assert backfill(dsn) == "succeeded", "a plain backfill picks the partial date up again"
    assert games_status(conn) == "done" and staged_games(conn) == games
    assert open_letters(conn) == []


def test_a_job_runs_against_the_base_url_its_run_was_planned_with(dsn, conn, sim, server, monkeypatch):
    async def plan():
        return await plan_backfill(dsn, mlb.SOURCE, DAY, DAY)

    planned = asyncio.run(plan())  # planned against the good server
    with BadServer(sim) as other:
        other.spoil = {path: "down" for path in (SCHEDULE, "/api/v1/teams")}
        monkeypatch.setenv("PIPELINE_MLB_BASE_URL", other.url)  # this worker is configured elsewhere

        async def work():
            return await run_and_wait(worker_runtime(dsn, load_settings()), planned.run_id, concurrency=4,
                                      stream=io.StringIO())

        assert asyncio.run(work()).status == "succeeded"
        assert sum(other.requests.values()) == 0, "no request went to a server the run was not planned for"
    params = conn.execute("select params from ops.pipeline_runs where run_id = %s", [planned.run_id]).fetchone()[0]
    assert params["base_url"] == server.url, "the run records its base URL"


def test_an_answer_the_database_refuses_costs_only_itself(dsn, conn):
    """Past the fetcher's checks, a body COPY still refuses is landed alone and returned as
    refused; the rest of its batch lands."""
    from datetime import datetime, timezone

    from pipeline.extract import ExtractContext
    from pipeline.http import ApiResponse
    from pipeline.partition import Partition
    from tests.helpers import land_schedule

    land_schedule(dsn, DAY, b'{"dates": []}')  # the month's raw partitions exist
    bodies = {1: b'{"teams": {}}', 2: b'{"teams": {"name": "Bad\\u0000Sox"}}', 3: b'{"teams": {"id": 3}}'}

    async def go():
        async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as aconn:
            ctx = ExtractContext(aconn, None, Partition("mlb", "games", DAY), None, False)
            now = datetime.now(timezone.utc)
            return await ctx.land_or_refuse([ApiResponse(mlb.boxscore_request(pk, DAY), 200, body, now)
                                             for pk, body in bodies.items()])

    refused = asyncio.run(go())
    assert [request.key for request, _ in refused] == [mlb.boxscore_request(2, DAY).key]
    assert "cannot be stored as JSONB" in str(refused[0][1])
    assert {key for (key,) in conn.execute("select request_key from raw.mlb_boxscore")} == {
        mlb.boxscore_request(pk, DAY).key for pk in (1, 3)}
