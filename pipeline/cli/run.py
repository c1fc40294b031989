"""`pipeline run`: start runs of every mode; with --wait, work them here to the end."""

from __future__ import annotations

import asyncio

import click

from pipeline import db, queries
from pipeline.cli.options import (DATE, LOOKBACK_DAYS, OVERLAP_DAYS, ROW_ID, SEASON, async_conn, migrated_dsn,
                                  source_option, wait_for, wait_options)
from pipeline.config import load_settings
from pipeline.runs.backfill import backfill_range, plan_backfill
from pipeline.runs.identity import SourceIdentity, check_landed, record, source_identity
from pipeline.runs.incremental import plan_incremental
from pipeline.runs.lookback import plan_lookback
from pipeline.runs.open import PlannedRun, checked_range
from pipeline.runs.rebuild import rebuild
from pipeline.runs.restage import plan_restage
from pipeline.runs.retry import plan_retry
from pipeline.runs.window import default_today


@click.group("run")
def run_group() -> None:
    """Start runs: backfill, incremental, lookback, restage, retry; rebuild the curated zone."""


def _identify(dsn: str, source, check: bool) -> SourceIdentity:
    """The source the run will read; with `check`, refused when the landed data came from another."""
    identity = asyncio.run(source_identity(source, load_settings()))
    if check:
        async def go(conn):
            await check_landed(conn, source, identity)

        async_conn(dsn, go)
    return identity


def _finish(dsn: str, planned: PlannedRun, line: str, wait: bool, concurrency: int | None,
            identity: SourceIdentity | None = None) -> None:
    if identity is not None:
        async def go(conn):
            await record(conn, planned.run_id, identity)

        async_conn(dsn, go)
    click.echo(f"run {planned.run_id}: {line}")
    if wait:
        wait_for(dsn, planned.run_id, concurrency)


@run_group.command("backfill")
@source_option
@click.option("--start", type=DATE, help="First date to load.")
@click.option("--end", type=DATE, help="Last date to load (inclusive).")
@click.option("--season", type=SEASON, help="Load a whole season instead of --start/--end.")
@click.option("--force", is_flag=True,
              help="Redo partitions whose checkpoint says done, even from another source than the landed data.")
@wait_options
def run_backfill(source, start, end, season, force, wait, concurrency) -> None:
    """Load a date range or a season: one job per date, resumable. Refused when the data
    already landed came from another base URL or simulated league (seed), unless --force.

    Example: pipeline run backfill --start 2024-04-01 --end 2024-04-14 --wait
    """
    start, end = backfill_range(source, start, end, season)
    dsn = migrated_dsn()  # after the arguments are known to be good
    identity = _identify(dsn, source, check=not force)
    planned = asyncio.run(plan_backfill(dsn, source, start, end, force=force))
    hint = " (every partition is done already: --force redoes them)" if planned.planned and not planned.queued \
        else ""
    _finish(dsn, planned, f"backfill {source.name} {start}..{end}: {planned.planned} partitions, "
                          f"{planned.skipped} already done, {planned.queued} queued{hint}", wait, concurrency,
            identity)


def _window_line(dsn: str, planned: PlannedRun, mode: str, source) -> str:
    with db.connect(dsn) as conn:
        start, end = queries.execute(conn, "run_window", {"run_id": planned.run_id}).fetchone()
    return f"{mode} {source.name} {start}..{end}: {planned.planned} dates, 1 window job queued"


@run_group.command("incremental")
@source_option
@click.option("--today", type=DATE, default=None, help="The date to load up to (default: today, US Eastern).")
@click.option("--overlap-days", type=OVERLAP_DAYS, default=1, show_default=True,
              help="Days before the watermark read again, for late games.")
@wait_options
def run_incremental(source, today, overlap_days, wait, concurrency) -> None:
    """Load what is new or changed since the last good run: one schedule request for the
    window, then only the box scores that need it.

    Example: pipeline run incremental --wait
    """
    dsn = migrated_dsn()
    identity = _identify(dsn, source, check=False)
    planned = asyncio.run(plan_incremental(dsn, source, today or default_today(), overlap_days=overlap_days))
    _finish(dsn, planned, _window_line(dsn, planned, "incremental", source), wait, concurrency, identity)


@run_group.command("lookback")
@source_option
@click.option("--days", type=LOOKBACK_DAYS, default=7, show_default=True, help="How many days before --today to re-fetch.")
@click.option("--today", type=DATE, default=None, help="The last date of the window (default: today, US Eastern).")
@wait_options
def run_lookback(source, days, today, wait, concurrency) -> None:
    """Re-fetch the box scores of the last N days to catch stat corrections; every changed
    value goes to ops.change_log (see `pipeline changes`).

    Example: pipeline run lookback --days 7 --wait
    """
    dsn = migrated_dsn()
    identity = _identify(dsn, source, check=False)
    planned = asyncio.run(plan_lookback(dsn, source, today or default_today(), days=days))
    _finish(dsn, planned, _window_line(dsn, planned, "lookback", source), wait, concurrency, identity)


@run_group.command("restage")
@source_option
@click.option("--start", type=DATE, required=True, help="First date to restage.")
@click.option("--end", type=DATE, required=True, help="Last date to restage (inclusive).")
@wait_options
def run_restage(source, start, end, wait, concurrency) -> None:
    """Re-run staging and the quality checks for dates already landed, from the raw zone, then
    curated where staging changed or the gate moved: no API request (after editing a
    staging SQL file; a changed curated file needs `run rebuild --zone curated`).

    Example: pipeline run restage --start 2024-04-01 --end 2024-04-07 --wait
    """
    checked_range(start, end)
    dsn = migrated_dsn()
    planned = asyncio.run(plan_restage(dsn, source, start, end))
    _finish(dsn, planned, f"restage {source.name} {start}..{end}: {planned.planned} landed partitions, "
                          f"{planned.queued} transform jobs queued", wait, concurrency)


@run_group.command("retry")
@click.argument("run_id", type=ROW_ID)
@wait_options
def run_retry(run_id: int, wait: bool, concurrency: int | None) -> None:
    """Queue again exactly the failed, partial or unreached partitions of an ended run, as a
    new run (what landed is not fetched again).

    Example: pipeline run retry 7 --wait
    """
    dsn = migrated_dsn()
    planned = asyncio.run(plan_retry(dsn, run_id))
    if planned is None:
        click.echo(f"run {run_id}: every partition is done, nothing to retry")
        return
    _finish(dsn, planned, f"retry of run {run_id}: {planned.planned} partitions, {planned.queued} queued",
            wait, concurrency)


@run_group.command("rebuild")
@source_option
@click.option("--zone", type=click.Choice(["curated"]), required=True, help="The zone to recompute from the one below it.")
def run_rebuild(source, zone: str) -> None:
    """Recompute every curated row from staging (what any run's curated rows must equal).

    Example: pipeline run rebuild --zone curated
    """
    dsn = migrated_dsn()
    run_id, written = asyncio.run(rebuild(dsn, source, zone))
    click.echo(f"run {run_id}: rebuilt {zone} for {source.name}: {written} rows written")


COMMANDS = [run_group]
