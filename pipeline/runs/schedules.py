"""Schedules kept in the database: ops.schedules rows fired by the procrastinate periodic
tick (pipeline.jobs.periodic), which calls `fire_due` through the worker's Runtime.

procrastinate defers the tick once per minute whatever the number of workers (its periodic
defers are unique per timestamp); the tick then claims due rows with `for update skip
locked` and moves their next fire time in the same transaction, so a firing is taken once
even if two ticks run at the same moment. Firing plans the run (incremental or lookback)
right there: one extract job per firing.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timezone

from croniter import croniter
from psycopg.types.json import Jsonb

from pipeline import queries, sources
from pipeline.db import connect_async
from pipeline.errors import PipelineError
from pipeline.runs.incremental import plan_incremental
from pipeline.runs.lookback import plan_lookback
from pipeline.runs.window import default_today

log = logging.getLogger(__name__)

MODES = ("incremental", "lookback")


def next_fire(cron: str, after: datetime) -> datetime:
    """The first time strictly after `after` that `cron` names (UTC)."""
    if not croniter.is_valid(cron):
        raise PipelineError(f"{cron!r} is not a cron expression (e.g. '*/15 * * 3-10 *')")
    return croniter(cron, after).get_next(datetime)


async def fire_due(dsn: str, now: datetime | None = None, *, queue_open: bool = True) -> list[int]:
    """Plan a run for every due schedule; returns the run ids. Safe to call concurrently."""
    now = now or datetime.now(timezone.utc)
    runs: list[int] = []
    async with await connect_async(dsn, autocommit=True) as conn:
        async with conn.transaction():
            cursor = await queries.execute_async(conn, "schedule_due", {"now": now})
            due = await cursor.fetchall()
            for name, source, cron, mode, params, next_fire_at in due:
                run_id = None
                if next_fire_at is not None:  # a row just enabled is armed, not fired
                    # params may pin "today" (tests, demos against a simulator in the past)
                    today = date.fromisoformat(params["today"]) if "today" in params else default_today()
                    if mode == "lookback":
                        planned = await plan_lookback(dsn, sources.get(source), today,
                                                      days=int(params.get("days", 7)), queue_open=queue_open)
                    else:
                        planned = await plan_incremental(dsn, sources.get(source), today,
                                                         overlap_days=int(params.get("overlap_days", 1)),
                                                         queue_open=queue_open)
                    run_id = planned.run_id
                    runs.append(run_id)
                    log.info("schedule fired", extra={"schedule": name, "run_id": run_id})
                await queries.execute_async(conn, "schedule_fired", {
                    "schedule_name": name, "fired_at": now if run_id else None,
                    "next_fire_at": next_fire(cron, now), "run_id": run_id,
                })
    return runs


def add(conn, name: str, source: str, cron: str, mode: str, params: dict) -> None:
    next_fire(cron, datetime.now(timezone.utc))  # validates
    if mode not in MODES:
        raise PipelineError(f"unknown mode {mode!r} (known: {', '.join(MODES)})")
    if queries.execute(conn, "schedule_add", {"schedule_name": name, "source": source, "cron": cron,
                                                   "mode": mode, "params": Jsonb(params)}).fetchone() is None:
        raise PipelineError(f"a schedule named {name!r} exists already")


def set_enabled(conn, name: str, enabled: bool) -> None:
    row = queries.execute(conn, "schedule_cron", {"schedule_name": name}).fetchone()
    if row is None:
        raise PipelineError(f"no schedule named {name!r} (see `pipeline schedule list`)")
    upcoming = next_fire(row[0], datetime.now(timezone.utc)) if enabled else None
    queries.execute(conn, "schedule_set_enabled", {"schedule_name": name, "is_enabled": enabled,
                                                        "next_fire_at": upcoming})


def remove(conn, name: str) -> None:
    if queries.execute(conn, "schedule_remove", {"schedule_name": name}).fetchone() is None:
        raise PipelineError(f"no schedule named {name!r} (see `pipeline schedule list`)")
