"""The scheduler isolates failures: a poisoned schedule (a row whose parameters cannot be
planned) records its error on its own row, opens a failed run that says so and backs off,
while a healthy schedule fires exactly once per due time. Schedules are checked when added."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from pipeline.errors import PipelineError
from pipeline.jobs.worker import open_queue
from pipeline.runs import schedules

T0 = datetime(2026, 5, 1, 10, 0, tzinfo=timezone.utc)


def fire_at(dsn: str, *moments: datetime) -> list[list[int]]:
    async def go():
        async with open_queue(dsn):
            return [await schedules.fire_due(dsn, moment) for moment in moments]

    return asyncio.run(go())


def test_a_poisoned_schedule_does_not_jam_a_healthy_one(dsn, conn):
    # the poisoned row predates validation: days=0 cannot be planned
    conn.execute("insert into ops.schedules (schedule_name, cron, mode, params, is_enabled, next_fire_at) "
                 "values ('poisoned', '* * * * *', 'lookback', '{\"days\": 0}', true, %s)", [T0])
    conn.execute("insert into ops.schedules (schedule_name, cron, mode, params, is_enabled, next_fire_at) "
                 "values ('healthy', '0 10 * * *', 'lookback', '{\"days\": 2, \"today\": \"2024-04-09\"}', "
                 "true, %s)", [T0])

    minutes = [T0 + timedelta(minutes=offset) for offset in range(5)]
    fired = fire_at(dsn, *minutes, T0 + timedelta(days=1))

    assert [len(runs) for runs in fired] == [1, 0, 0, 0, 0, 1], "the healthy schedule fires once per due time"
    healthy = conn.execute("select last_fired_at, next_fire_at, last_error, last_run_id from ops.schedules "
                           "where schedule_name = 'healthy'").fetchone()
    assert healthy[0] == T0 + timedelta(days=1) and healthy[1] == T0 + timedelta(days=2)
    assert healthy[2] is None and healthy[3] == fired[-1][0]
    assert conn.execute("select count(*) from ops.pipeline_runs where params ? 'days'").fetchone()[0] == 2

    error, failures, next_fire_at, last_run = conn.execute(
        "select last_error, consecutive_failures, next_fire_at, last_run_id from ops.schedules "
        "where schedule_name = 'poisoned'").fetchone()
    assert "days=0" in error, error
    # backed off: tried at T0, T0+1 (after 1 min), T0+3 (after 2 more), then at T0+1 day
    assert failures == 4
    assert next_fire_at > T0 + timedelta(days=1, minutes=1), "a failing schedule backs off"
    status, message = conn.execute("select status, message from ops.pipeline_runs where run_id = %s",
                                   [last_run]).fetchone()
    assert status == "failed" and "schedule poisoned failed to fire" in message, \
        "the failure is a failed run, which alerts like any other"


def test_schedules_are_checked_when_added(conn):
    with pytest.raises(PipelineError, match="days=0"):
        schedules.add(conn, "bad-days", "mlb", "0 9 * * *", "lookback", {"days": 0})
    with pytest.raises(PipelineError, match="days=400"):
        schedules.add(conn, "bad-days", "mlb", "0 9 * * *", "lookback", {"days": 400})
    with pytest.raises(PipelineError, match="names no time that ever comes"):
        schedules.add(conn, "never", "mlb", "0 0 31 2 *", "lookback", {"days": 3})
    with pytest.raises(PipelineError, match="not a cron expression"):
        schedules.add(conn, "garbage", "mlb", "every day", "lookback", {"days": 3})
    schedules.add(conn, "fine", "mlb", "0 9 * * *", "lookback", {"days": 366})
    assert conn.execute("select count(*) from ops.schedules where schedule_name in "
                        "('bad-days', 'never', 'garbage')").fetchone()[0] == 0
