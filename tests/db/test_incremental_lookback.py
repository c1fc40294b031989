"""Incremental and lookback runs through the real worker (in-process) against the
simulator as an httpx transport, with its clock and corrections: the API calls they make
(read from /__sim/stats), what they change in staging, the audit trail, curated rows."""

from __future__ import annotations

import asyncio
import io
import json
from collections import Counter
from datetime import date, timedelta

import httpx
import psycopg
import pytest

from pipeline.config import load_settings
from pipeline.runs.backfill import plan_backfill
from pipeline.runs.incremental import plan_incremental
from pipeline.runs.lookback import plan_lookback
from pipeline.runs.progress import run_and_wait
from pipeline.runs.rebuild import rebuild
from pipeline.simulator.api import Simulator
from pipeline.sources import mlb
from pipeline.runs.runtime import worker_runtime
from tests.e2e.conftest import table_checksums

SEED = 5


class CountingTransport(httpx.AsyncBaseTransport):
    """The simulator in-process; remembers which box scores were asked for."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.boxscores: Counter = Counter()
        self.missing: set[int] = set()  # box scores answered 404

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/boxscore"):
            game_pk = int(request.url.path.split("/")[-2])
            self.boxscores[game_pk] += 1
            if game_pk in self.missing:
                return httpx.Response(404, content=b'{"messageNumber": 10, "message": "Object not found"}')
        status, headers, body = self.sim.handle(request.method, request.url.path, dict(request.url.params),
                                                dict(request.headers))
        return httpx.Response(status, headers=headers, content=body)


def sim_stats(sim: Simulator) -> dict[str, int]:
    _, _, body = sim.handle("GET", "/__sim/stats", {})
    return json.loads(body)["requests"]


def run(dsn: str, transport: CountingTransport, planner, expect: str = "succeeded") -> int:
    async def go():
        planned = await planner
        progress = await run_and_wait(worker_runtime(dsn, load_settings(), transport=transport), planned.run_id,
                                      concurrency=4, stream=io.StringIO())
        assert progress.status == expect, progress
        return planned.run_id

    return asyncio.run(go())


def backfill(dsn, transport, start, end) -> int:
    return run(dsn, transport, plan_backfill(dsn, mlb.SOURCE, start, end))


def incremental(dsn, transport, today, expect: str = "succeeded") -> int:
    transport.sim.reset_counts()
    transport.boxscores.clear()
    return run(dsn, transport, plan_incremental(dsn, mlb.SOURCE, today), expect)


def watermark(conn) -> date | None:
    row = conn.execute("select watermark::date from ops.pipeline_checkpoints where endpoint = 'watermark'").fetchone()
    return row and row[0]


def played(sim: Simulator, day: date) -> set[int]:
    return {g["game_pk"] for g in sim.games(day, day) if g["status"] == "Final"}


def staging_rows(conn) -> dict[tuple, tuple]:
    out = {}
    for table, keys in (("staging.mlb_games", "game_pk"), ("staging.mlb_player_batting", "game_pk, player_id"),
                        ("staging.mlb_player_pitching", "game_pk, player_id")):
        for key, row, updated_at in conn.execute(
                f"select ({keys})::text, to_jsonb(t) - 'updated_at' - 'raw_id', updated_at from {table} as t"):
            out[(table, key)] = (row, updated_at)
    return out


def assert_curated_equals_a_rebuild(dsn: str) -> None:
    curated = {k: v for k, v in table_checksums(dsn).items() if k.startswith("curated.")}
    assert all(count for count, _ in curated.values()), "curated holds rows"
    asyncio.run(rebuild(dsn, mlb.SOURCE, "curated"))
    assert {k: v for k, v in table_checksums(dsn).items() if k.startswith("curated.")} == curated, \
        "curated after the run equals a full rebuild from staging"


@pytest.fixture
def base_url(monkeypatch):
    monkeypatch.setenv("PIPELINE_MLB_BASE_URL", "http://simulator.test")


def test_incremental_with_nothing_new_makes_one_schedule_request_and_rewrites_nothing(dsn, conn, base_url):
    sim = Simulator(seed=SEED, season=2024, today=date(2024, 4, 6))
    transport = CountingTransport(sim)
    backfill(dsn, transport, date(2024, 4, 3), date(2024, 4, 5))
    before = staging_rows(conn)

    run_id = incremental(dsn, transport, date(2024, 4, 5))

    assert sim_stats(sim) == {"schedule": 1, "boxscore": 0, "teams": 0, "other": 0}
    assert conn.execute("select curated_dates, curated_seasons from ops.pipeline_runs where run_id = %s",
                        [run_id]).fetchone() == ([], []), "nothing changed, so no curated partition was recomputed"
    assert staging_rows(conn) == before, "no staging row was rewritten"
    assert conn.execute("select count(*) from ops.change_log").fetchone()[0] == 0
    assert watermark(conn) == date(2024, 4, 5), "a succeeded incremental run moves the watermark"


def test_advancing_the_clock_fetches_only_new_and_changed_games(dsn, conn, base_url):
    sim = Simulator(seed=SEED, season=2024, today=date(2024, 4, 6))
    transport = CountingTransport(sim)
    backfill(dsn, transport, date(2024, 4, 3), date(2024, 4, 5))

    incremental(dsn, transport, date(2024, 4, 6))  # the 6th is being played: its games are live
    live = played(sim, date(2024, 4, 6))
    assert set(transport.boxscores) == live and sim_stats(sim)["schedule"] == 1
    states = dict(conn.execute("select game_pk, abstract_state from staging.mlb_games "
                               "where official_date = '2024-04-06'").fetchall())
    assert {states[pk] for pk in live} == {"Live"}

    sim.set_today(date(2024, 4, 7))
    incremental(dsn, transport, date(2024, 4, 7))

    new = played(sim, date(2024, 4, 7))
    assert set(transport.boxscores) == live | new, "only the games that went final and today's games"
    assert all(count == 1 for count in transport.boxscores.values())
    assert sim_stats(sim)["schedule"] == 1
    states = dict(conn.execute("select game_pk, abstract_state from staging.mlb_games "
                               "where official_date = '2024-04-06'").fetchall())
    assert {states[pk] for pk in live} == {"Final"}
    status_changes = conn.execute(
        "select count(*) from ops.change_log where table_name = 'staging.mlb_games' and column_name = 'abstract_state' "
        "and old_value = '\"Live\"' and new_value = '\"Final\"'").fetchone()[0]
    assert status_changes == len(live)
    assert_curated_equals_a_rebuild(dsn)


def test_a_failed_incremental_run_leaves_the_watermark_and_the_next_run_completes_it(dsn, conn, base_url):
    sim = Simulator(seed=SEED, season=2024, today=date(2024, 4, 8))
    transport = CountingTransport(sim)
    backfill(dsn, transport, date(2024, 4, 3), date(2024, 4, 5))
    incremental(dsn, transport, date(2024, 4, 5))
    assert watermark(conn) == date(2024, 4, 5)
    new = played(sim, date(2024, 4, 6)) | played(sim, date(2024, 4, 7))
    transport.missing = {min(new)}

    incremental(dsn, transport, date(2024, 4, 7), expect="failed")

    assert set(transport.boxscores) == new
    assert watermark(conn) == date(2024, 4, 5), "a failed run does not move the watermark"
    transport.missing = set()
    incremental(dsn, transport, date(2024, 4, 7))
    assert set(transport.boxscores) == {min(new)}, "the next run fetched only what the failed run missed"
    assert watermark(conn) == date(2024, 4, 7)
    assert conn.execute("select count(*) from staging.mlb_player_batting where game_pk = %s",
                        [min(new)]).fetchone()[0] > 0


def test_a_postponed_game_is_picked_up_on_its_make_up_date(dsn, conn, base_url):
    sim = Simulator(seed=SEED, season=2024)
    game = min((g for g in sim.season.games if g.postponed_day and (g.day - g.postponed_day).days <= 3),
               key=lambda g: g.postponed_day)
    sim.set_today(game.postponed_day)
    transport = CountingTransport(sim)
    incremental(dsn, transport, game.postponed_day)
    assert game.pk not in transport.boxscores, "not played on its original date"
    state = conn.execute("select abstract_state, official_date from staging.mlb_games where game_pk = %s",
                         [game.pk]).fetchone()
    assert state == ("Preview", game.postponed_day)

    sim.set_today(game.day + timedelta(days=1))
    incremental(dsn, transport, game.day + timedelta(days=1))

    assert transport.boxscores[game.pk] == 1
    state = conn.execute("select detailed_state, official_date from staging.mlb_games where game_pk = %s",
                         [game.pk]).fetchone()
    assert state == ("Final", game.day)
    assert conn.execute("select count(*) from staging.mlb_player_batting where game_pk = %s and official_date = %s",
                        [game.pk, game.day]).fetchone()[0] > 0


STAT_COLUMNS = {("batting", "hits"): ("staging.mlb_player_batting", "hits"),
                ("batting", "totalBases"): ("staging.mlb_player_batting", "total_bases"),
                ("pitching", "hits"): ("staging.mlb_player_pitching", "hits"),
                ("pitching", "earnedRuns"): ("staging.mlb_player_pitching", "earned_runs")}


def test_lookback_finds_every_correction_and_logs_each_changed_value(dsn, conn, base_url):
    sim = Simulator(seed=SEED, season=2024, today=date(2024, 4, 6), correction_rate=0.4)
    transport = CountingTransport(sim)
    backfill(dsn, transport, date(2024, 4, 1), date(2024, 4, 5))
    before = staging_rows(conn)
    already = {(c["game_pk"], c["player_id"], c["field"]) for c in sim.corrections()}

    sim.set_today(date(2024, 4, 9))
    transport.boxscores.clear()
    run_id = run(dsn, transport, plan_lookback(dsn, mlb.SOURCE, date(2024, 4, 9), days=7))

    corrections = sim.corrections(date(2024, 4, 2), date(2024, 4, 9))
    assert [c for c in corrections if (c["game_pk"], c["player_id"], c["field"]) not in already], \
        "the simulator made corrections after the backfill"
    for correction in corrections:
        group, field = correction["field"].split(".")
        if (group, field) not in STAT_COLUMNS:
            continue  # fielding errors are not staged
        table, column = STAT_COLUMNS[(group, field)]
        value = conn.execute(f"select {column} from {table} where game_pk = %s and player_id = %s",
                             [correction["game_pk"], correction["player_id"]]).fetchone()[0]
        assert value == correction["new"], f"staging shows the corrected {correction}"

    after = staging_rows(conn)
    diffs = set()
    for (table, key), (row, _) in after.items():
        label = key if table != "staging.mlb_games" else f"({key})"
        if (table, key) in before and before[(table, key)][0] != row:
            old = before[(table, key)][0]
            diffs |= {(table, label, column, json.dumps(old[column]), json.dumps(value))
                      for column, value in row.items() if old[column] != value}
    logged = conn.execute(
        "select table_name, '(' || concat_ws(',', row_key ->> 'game_pk', row_key ->> 'player_id') || ')', "
        "column_name, old_value::text, new_value::text from ops.change_log where run_id = %s", [run_id]).fetchall()
    stat_logged = [entry for entry in logged if entry[0] != "staging.mlb_games"]
    stat_diffs = {d for d in diffs if d[0] != "staging.mlb_games"}
    assert len(stat_logged) == len(set(stat_logged)) == len(stat_diffs)
    assert {(t, k, c, json.dumps(json.loads(o)), json.dumps(json.loads(n)))
            for t, k, c, o, n in stat_logged} == stat_diffs
    assert conn.execute("select count(*) from ops.change_log where run_id = %s and raw_id_before = raw_id_after",
                        [run_id]).fetchone()[0] == 0, "every change names the raw versions before and after"

    changed_dates = {day for (day,) in conn.execute(
        "select distinct partition_date from ops.change_log where run_id = %s and partition_date is not null",
        [run_id])}
    refreshed = conn.execute("select curated_dates from ops.pipeline_runs where run_id = %s", [run_id]).fetchone()[0]
    assert changed_dates <= set(refreshed) <= {date(2024, 4, 2) + timedelta(days=n) for n in range(8)}, \
        "the run recorded the dates it refreshed: those that changed, inside its window"
    assert_curated_equals_a_rebuild(dsn)


def test_two_workers_and_a_tick_firing_at_once_defer_one_job(dsn, conn, base_url):
    import time
    from datetime import datetime, timedelta, timezone

    from procrastinate.periodic import PeriodicDeferrer

    from pipeline.jobs.app import app
    from pipeline.jobs.worker import open_queue
    from pipeline.runs import schedules

    schedules.set_enabled(conn, "mlb-lookback", True)
    due = datetime.now(timezone.utc) - timedelta(minutes=1)
    conn.execute("update ops.schedules set next_fire_at = %s, params = params || '{\"today\": \"2024-04-09\"}' "
                 "where schedule_name = 'mlb-lookback'", [due])

    async def two_workers():
        async with open_queue(dsn):
            # each worker runs its own periodic deferrer: both try to defer the same tick
            now = time.time()
            deferrers = [PeriodicDeferrer(registry=app.periodic_registry) for _ in range(2)]
            await asyncio.gather(*(d.defer_jobs(list(d.get_previous_tasks(at=now))) for d in deferrers))
            # and the tick itself may run twice at once (a manual call, a late job): one firing
            return await asyncio.gather(*(schedules.fire_due(dsn) for _ in range(3)))

    fired = asyncio.run(two_workers())

    ticks = conn.execute("select count(*) from procrastinate_jobs where task_name = 'pipeline.schedule_tick'"
                         ).fetchone()[0]
    assert ticks == 1, "two workers' deferrers queued one tick"
    assert sorted(len(runs) for runs in fired) == [0, 0, 1], "one tick fired the schedule, the others found it taken"
    assert conn.execute("select count(*) from procrastinate_jobs where task_name = 'pipeline.extract_window'"
                        ).fetchone()[0] == 1
    assert conn.execute("select count(*) from ops.pipeline_runs where mode = 'lookback'").fetchone()[0] == 1
    next_fire, last_run = conn.execute("select next_fire_at, last_run_id from ops.schedules "
                                       "where schedule_name = 'mlb-lookback'").fetchone()
    assert next_fire > datetime.now(timezone.utc), "the schedule's next fire time moved on"
    assert last_run == [run_id for runs in fired for run_id in runs][0]
