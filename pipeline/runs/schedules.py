"""Schedules kept in the database: ops.schedules rows fired by the procrastinate periodic
tick (pipeline.jobs.periodic), which calls `fire_due` through the worker's Runtime.

procrastinate defers the tick once per minute whatever the number of workers (its periodic
defers are unique per timestamp); the tick then claims each due row in a transaction of its
own (`for update skip locked`), plans its run and moves its next fire time, so a firing is
taken once even if two ticks run at the same moment, and one schedule that fails (a bad
parameter, a source that cannot be planned) records its error on its own row, backs off
and leaves the others to fire as usual. Parameters and cron are checked when a schedule
is added.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone

from croniter import CroniterBadCronError, CroniterBadDateError, croniter
from psycopg.types.json import Jsonb

from pipeline import queries, sources
from pipeline.db import connect_async
from pipeline.errors import PipelineError
from pipeline.runs.incremental import plan_incremental
from pipeline.runs.lookback import plan_lookback
from pipeline.runs.window import default_today

log = logging.getLogger(__name__)

MODES = ("incremental", "lookback")


# a failing schedule is tried again after 1, 2, 4 ... minutes, at most an hour, or at its
# next cron time when that is later
BACKOFF_BASE_SECONDS = 60.0
BACKOFF_MAX_SECONDS = 3600.0
PARAM_RANGES = {"days": (1, 366), "overlap_days": (0, 366)}


def next_fire(cron: str, after: datetime) -> datetime:
    """The first time strictly after `after` that `cron` names (UTC); a cron that never
    fires again (`0 0 31 2 *`) is refused."""
    if not croniter.is_valid(cron):
        raise PipelineError(f"{cron!r} is not a cron expression (e.g. '*/15 * * 3-10 *')")
    try:
        return croniter(cron, after).get_next(datetime)
    except (CroniterBadDateError, CroniterBadCronError, ValueError):
        raise PipelineError(f"cron {cron!r} names no time that ever comes (e.g. February 31st)") from None


def check_params(params: dict) -> dict:
    """A schedule's run parameters, each a whole number within its range."""
    for key, value in params.items():
        if key == "today":
            continue
        if key not in PARAM_RANGES:
            raise PipelineError(f"unknown schedule parameter {key!r} (known: {', '.join(PARAM_RANGES)})")
        low, high = PARAM_RANGES[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise PipelineError(f"schedule parameter {key}={value!r} must be a whole number from {low} to {high}")
    return params


def backoff_until(now: datetime, failures: int) -> datetime:
    return now + timedelta(seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(failures - 1, 0), BACKOFF_MAX_SECONDS))


async def _plan(dsn: str, source: str, mode: str, params: dict, queue_open: bool) -> int:
    check_params(params)
    # params may pin "today" (tests, demos against a simulator in the past)
    today = date.fromisoformat(params["today"]) if "today" in params else default_today()
    if mode == "lookback":
        planned = await plan_lookback(dsn, sources.get(source), today, days=int(params.get("days", 7)),
                                      queue_open=queue_open)
    elif mode == "incremental":
        planned = await plan_incremental(dsn, sources.get(source), today,
                                         overlap_days=int(params.get("overlap_days", 1)), queue_open=queue_open)
    else:
        raise PipelineError(f"unknown mode {mode!r} (known: {', '.join(MODES)})")
    return planned.run_id


async def _fire_one(conn, dsn: str, name: str, now: datetime, queue_open: bool) -> int | None:
    """Claim, plan and advance one schedule in a transaction of its own. A failure stays
    on its row (last_error), opens a failed run that says so (alerts see it like any
    failed run) and backs the schedule off; the caller goes on with the others."""
    async with conn.transaction():
        cursor = await queries.execute_async(conn, "schedule_claim", {"schedule_name": name, "now": now})
        row = await cursor.fetchone()
        if row is None:  # another tick holds it, or fired it meanwhile
            return None
        _, source, cron, mode, params, next_fire_at, failures = row
        try:
            upcoming = next_fire(cron, now)
            if next_fire_at is None:  # a row just enabled is armed, not fired
                await queries.execute_async(conn, "schedule_fired", {
                    "schedule_name": name, "fired_at": None, "next_fire_at": upcoming, "run_id": None})
                return None
            run_id = await _plan(dsn, source, mode, params, queue_open)
        except Exception as exc:  # noqa: BLE001 - any failure of one schedule is recorded on its row
            error = f"{type(exc).__name__}: {exc}"
            log.error("schedule failed", exc_info=True, extra={"schedule": name, "error": error})
            cursor = await queries.execute_async(conn, "run_create", {
                "source": source, "mode": mode if mode in MODES else "incremental",
                "params": Jsonb({"schedule": name})})
            (failed_run,) = await cursor.fetchone()
            await queries.execute_async(conn, "run_fail", {
                "run_id": failed_run, "message": f"schedule {name} failed to fire: {error}"})
            try:
                retry_at = max(next_fire(cron, now), backoff_until(now, failures + 1))
            except PipelineError:
                retry_at = backoff_until(now, failures + 1)
            await queries.execute_async(conn, "schedule_failed", {
                "schedule_name": name, "error": error, "next_fire_at": retry_at, "run_id": failed_run})
            return None
        await queries.execute_async(conn, "schedule_fired", {
            "schedule_name": name, "fired_at": now, "next_fire_at": upcoming, "run_id": run_id})
    log.info("schedule fired", extra={"schedule": name, "run_id": run_id})
    return run_id


async def fire_due(dsn: str, now: datetime | None = None, *, queue_open: bool = True) -> list[int]:
    """Plan a run for every due schedule, each in its own transaction; returns the run
    ids. Safe to call concurrently: each firing is claimed once."""
    now = now or datetime.now(timezone.utc)
    runs: list[int] = []
    async with await connect_async(dsn, autocommit=True) as conn:
        cursor = await queries.execute_async(conn, "schedule_due", {"now": now})
        for (name,) in await cursor.fetchall():
            try:
                run_id = await _fire_one(conn, dsn, name, now, queue_open)
            except Exception:  # noqa: BLE001 - even recording the failure failed: the others still fire
                log.exception("schedule could not be claimed or recorded", extra={"schedule": name})
                continue
            if run_id is not None:
                runs.append(run_id)
    return runs


def add(conn, name: str, source: str, cron: str, mode: str, params: dict) -> None:
    next_fire(cron, datetime.now(timezone.utc))  # validates
    if mode not in MODES:
        raise PipelineError(f"unknown mode {mode!r} (known: {', '.join(MODES)})")
    check_params(params)
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
