"""`pipeline`: the command line. Every command has help with an example; bad input gives
one clear line and a non-zero exit (`--verbose` shows the traceback)."""

from __future__ import annotations

import asyncio
import sys
from datetime import date

import click
import psycopg

from pipeline import db, logs, migrate, modes, report, sources, sqlfiles
from pipeline.cli_dlq import dlq_group
from pipeline.cli_quality import archive_group, partitions_group, quality_group
from pipeline.cli_schedule import schedule_group
from pipeline.cli_support import DATE, require_migrated, wait_for, with_dsn
from pipeline.config import load_settings
from pipeline.errors import PipelineError


class PipelineGroup(click.Group):
    """Turns library errors into one line for the user."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (PipelineError, psycopg.Error, OSError) as exc:
            if ctx.obj and ctx.obj.get("verbose"):
                raise
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise click.ClickException(message) from exc


@click.group(cls=PipelineGroup)
@click.option("--verbose", is_flag=True, help="Show tracebacks and debug logs.")
@click.version_option(package_name="sports-pipeline")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Postgres-native sports data pipeline.

    Example: pipeline db migrate && pipeline run backfill --start 2024-04-01 --end 2024-04-07 --wait
    """
    ctx.obj = {"verbose": verbose}
    logs.configure("DEBUG" if verbose else "INFO", load_settings().log_format)


# -- db ------------------------------------------------------------------------------------


@main.group("db")
def db_group() -> None:
    """Database: migrate, status, stop the embedded server."""


@db_group.command("migrate")
@with_dsn
def db_migrate(dsn: str) -> None:
    """Apply pending migrations and procrastinate's schema.

    Example: pipeline db migrate
    """
    with db.connect(dsn) as conn:
        applied = migrate.migrate(conn)
    click.echo(f"applied {len(applied)} migration(s) to {db.describe(dsn)}" + "".join(f"\n  {n}" for n in applied))


@db_group.command("status")
@with_dsn
def db_status(dsn: str) -> None:
    """Show which migrations are applied.

    Example: pipeline db status
    """
    with db.connect(dsn) as conn:
        rows = migrate.status(conn)
    click.echo(f"database: {db.describe(dsn)}")
    click.echo(report.table(["migration", "state"], rows))


@db_group.command("url")
@with_dsn
def db_url(dsn: str) -> None:
    """Print the connection URI (starts the embedded server if needed).

    Example: psql "$(pipeline db url)"
    """
    click.echo(dsn)


@db_group.command("stop")
def db_stop() -> None:
    """Stop the embedded PostgreSQL (no effect with DATABASE_URL).

    Example: pipeline db stop
    """
    settings = load_settings()
    if settings.database_url:
        click.echo("DATABASE_URL is set: nothing embedded to stop")
        return
    click.echo("embedded PostgreSQL stopped" if db.stop_embedded(settings) else "embedded PostgreSQL was not running")


# -- run -----------------------------------------------------------------------------------


@main.group("run")
def run_group() -> None:
    """Start runs: backfill, incremental, lookback; rebuild the curated zone."""


@run_group.command("backfill")
@click.option("--source", default="mlb", show_default=True, help="Source module under pipeline.sources.")
@click.option("--start", type=DATE, help="First date to load.")
@click.option("--end", type=DATE, help="Last date to load (inclusive).")
@click.option("--season", type=int, help="Load a whole season instead of --start/--end.")
@click.option("--force", is_flag=True, help="Redo partitions whose checkpoint says done.")
@click.option("--wait", is_flag=True, help="Work the jobs in this process and show progress until the run ends.")
@click.option("--concurrency", type=int, default=None, help="Jobs at once with --wait (default PIPELINE_WORKER_CONCURRENCY or 4).")
def run_backfill(source, start, end, season, force, wait, concurrency) -> None:
    """Load a date range or a season: one job per date, resumable.

    Example: pipeline run backfill --start 2024-04-01 --end 2024-04-14 --wait
    """
    src = sources.get(source)
    start, end = modes.backfill_range(src, start, end, season)
    dsn = db.database_url(load_settings())  # after the arguments are known to be good
    require_migrated(dsn)
    planned = asyncio.run(modes.plan_backfill(dsn, source, start, end, force=force))
    click.echo(
        f"run {planned.run_id}: backfill {source} {start}..{end}: {planned.planned} partitions, "
        f"{planned.skipped} already done, {planned.queued} queued"
    )
    if wait:
        wait_for(dsn, planned.run_id, concurrency)


# -- worker, status, summary ---------------------------------------------------------------


@main.command("worker")
@click.option("--concurrency", type=int, default=None, help="Jobs at once (default PIPELINE_WORKER_CONCURRENCY or 4).")
@click.option("--burst", is_flag=True, help="Exit once the queue is empty instead of waiting for more jobs.")
@with_dsn
def worker(dsn: str, concurrency: int | None, burst: bool) -> None:
    """Run queued jobs of any run until stopped (Ctrl-C or SIGTERM finishes jobs in hand).

    Example: pipeline worker --concurrency 4
    """
    from pipeline.tasks import QUEUE, Runtime
    from pipeline.worker import run_worker

    require_migrated(dsn)
    settings = load_settings()

    async def main_loop() -> None:
        until = None
        if burst:
            conn = await db.connect_async(dsn, autocommit=True)

            async def until() -> bool:
                cursor = await sqlfiles.execute_async(conn, "ops/open_jobs", {"queue": QUEUE})
                return (await cursor.fetchone())[0] == 0

        await run_worker(Runtime(dsn, settings), concurrency=concurrency or settings.worker_concurrency, until=until)

    asyncio.run(main_loop())


@main.command("status")
@click.option("--limit", default=10, show_default=True, help="How many recent runs.")
@with_dsn
def status(dsn: str, limit: int) -> None:
    """Recent runs, their partitions done/failed/pending, and the queue depth.

    Example: pipeline status --limit 5
    """
    require_migrated(dsn)
    with db.connect(dsn) as conn:
        click.echo(report.status_report(conn, limit))


@main.command("summary")
@click.option("--run", "run_id", type=int, default=None, help="Run id (default: the latest).")
@with_dsn
def summary(dsn: str, run_id: int | None) -> None:
    """What is loaded, the top fantasy scorers, and how long each stage of a run took.

    Example: pipeline summary --run 3
    """
    require_migrated(dsn)
    with db.connect(dsn) as conn:
        click.echo(report.summary_report(conn, run_id))


# -- sql -----------------------------------------------------------------------------------


@main.group("sql")
def sql_group() -> None:
    """The SQL files: list them, render one as a job would run it."""


@sql_group.command("list")
def sql_list() -> None:
    """List every SQL file with its purpose.

    Example: pipeline sql list
    """
    click.echo(report.table(["name", "purpose"], [(f.name, f.purpose) for f in sqlfiles.list_files()]))


@sql_group.command("render")
@click.argument("name")
def sql_render(name: str) -> None:
    """Print the exact SQL a job runs for NAME, and the values it binds.

    Example: pipeline sql render staging/mlb/player_batting
    """
    text = sqlfiles.render(name)
    params = sqlfiles.parameters(text)
    click.echo(text.rstrip())
    click.echo(f"-- bound parameters: {', '.join(params) if params else 'none'}")


# -- simulator and demo --------------------------------------------------------------------


@main.group("simulate")
def simulate_group() -> None:
    """The local MLB Stats API simulator."""


@simulate_group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True, help="0 picks a free port (printed).")
@click.option("--seed", default=0, show_default=True, help="Same seed, same league.")
@click.option("--season", default=2024, show_default=True)
@click.option("--today", type=DATE, default=None,
              help="Simulated date: earlier games final, its games live, later ones scheduled "
                   "(default: the season is over). POST /__sim/clock moves it.")
@click.option("--correction-rate", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Fraction of final box scores that get a stat correction 1-3 days later (GET /__sim/corrections).")
@click.option("--bad-data-rate", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Fraction of box scores served with bad data (negative counts, hits > at-bats, "
                   "missing player ids, duplicated players).")
@click.option("--fault-rate", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Share of requests that fail (429 with Retry-After, 500/503, timeouts, resets, truncated or malformed bodies).")
@click.option("--fault-kinds", default=None, help="Comma-separated subset of the fault kinds to mix (default: all).")
@click.option("--outage", default=None, metavar="START:END", help="Fail every request from START to END seconds after the first one.")
@click.option("--latency-ms", type=float, default=0.0, show_default=True, help="Delay added to every answer.")
def simulate_serve(host: str, port: int, seed: int, season: int, today: date | None, correction_rate: float,
                   bad_data_rate: float, fault_rate: float, fault_kinds: str | None, outage: str | None,
                   latency_ms: float) -> None:
    """Serve the simulated MLB Stats API over HTTP until interrupted. Answers are
    deterministic from the seed (faults too); /__sim/stats counts requests and faults.

    Example: pipeline simulate serve --port 8765 --seed 7 --season 2024 --today 2024-05-01 --fault-rate 0.1
    """
    from pipeline.simulator import faults
    from pipeline.simulator.server import serve

    plan = None
    if fault_rate or outage or latency_ms or fault_kinds:
        try:
            plan = faults.FaultPlan(
                rate=fault_rate, seed=seed, outage=faults.parse_outage(outage) if outage else None,
                kinds=tuple(kind.strip() for kind in fault_kinds.split(",")) if fault_kinds else faults.KINDS,
                latency_seconds=latency_ms / 1000,
            )
        except ValueError as exc:
            raise PipelineError(str(exc)) from None
    serve(host=host, port=port, seed=seed, season=season, today=today, correction_rate=correction_rate,
          bad_data_rate=bad_data_rate, faults=plan)


@main.command("demo")
@click.option("--start", type=DATE, default="2024-04-01", show_default=True)
@click.option("--end", type=DATE, default="2024-04-30", show_default=True)
@click.option("--seed", default=0, show_default=True)
@click.option("--concurrency", type=int, default=None)
def demo(start: date, end: date, seed: int, concurrency: int | None) -> None:
    """Migrate, start the simulator, backfill a month through the worker, print a summary.

    Example: pipeline demo --start 2024-04-01 --end 2024-04-30
    """
    from pipeline.demo import run_demo

    run_demo(start, end, seed=seed, concurrency=concurrency)


# -- incremental, lookback, rebuild, changes, schedules (issue 3) ---------------------------


def _print_planned(planned: modes.PlannedRun, mode: str, source: str, dsn: str) -> None:
    with db.connect(dsn) as conn:
        start, end = sqlfiles.execute(conn, "ops/run_window", {"run_id": planned.run_id}).fetchone()
    click.echo(f"run {planned.run_id}: {mode} {source} {start}..{end}: {planned.planned} dates, 1 window job queued")


@run_group.command("incremental")
@click.option("--source", default="mlb", show_default=True, help="Source module under pipeline.sources.")
@click.option("--today", type=DATE, default=None, help="The date to load up to (default: today, US Eastern).")
@click.option("--overlap-days", type=int, default=1, show_default=True,
              help="Days before the watermark read again, for late games.")
@click.option("--wait", is_flag=True, help="Work the jobs in this process and show progress until the run ends.")
@click.option("--concurrency", type=int, default=None, help="Jobs at once with --wait.")
def run_incremental(source, today, overlap_days, wait, concurrency) -> None:
    """Load what is new or changed since the last good run: one schedule request for the
    window, then only the box scores that need it.

    Example: pipeline run incremental --wait
    """
    sources.get(source)
    dsn = db.database_url(load_settings())
    require_migrated(dsn)
    planned = asyncio.run(modes.plan_window(dsn, source, "incremental", today or modes.default_today(),
                                            overlap_days=overlap_days))
    _print_planned(planned, "incremental", source, dsn)
    if wait:
        wait_for(dsn, planned.run_id, concurrency)


@run_group.command("lookback")
@click.option("--source", default="mlb", show_default=True, help="Source module under pipeline.sources.")
@click.option("--days", type=int, default=7, show_default=True, help="How many days before --today to re-fetch.")
@click.option("--today", type=DATE, default=None, help="The last date of the window (default: today, US Eastern).")
@click.option("--wait", is_flag=True, help="Work the jobs in this process and show progress until the run ends.")
@click.option("--concurrency", type=int, default=None, help="Jobs at once with --wait.")
def run_lookback(source, days, today, wait, concurrency) -> None:
    """Re-fetch the box scores of the last N days to catch stat corrections; every changed
    value goes to ops.change_log (see `pipeline changes`).

    Example: pipeline run lookback --days 7 --wait
    """
    sources.get(source)
    dsn = db.database_url(load_settings())
    require_migrated(dsn)
    planned = asyncio.run(modes.plan_window(dsn, source, "lookback", today or modes.default_today(), days=days))
    _print_planned(planned, "lookback", source, dsn)
    if wait:
        wait_for(dsn, planned.run_id, concurrency)


@run_group.command("rebuild")
@click.option("--source", default="mlb", show_default=True, help="Source module under pipeline.sources.")
@click.option("--zone", type=click.Choice(["curated"]), required=True, help="The zone to recompute from the one below it.")
@with_dsn
def run_rebuild(dsn: str, source: str, zone: str) -> None:
    """Recompute every curated row from staging (what any run's curated rows must equal).

    Example: pipeline run rebuild --zone curated
    """
    from pipeline.rebuild import rebuild

    require_migrated(dsn)
    with db.connect(dsn) as conn:
        run_id, written = rebuild(conn, source, zone)
    click.echo(f"run {run_id}: rebuilt {zone} for {source}: {written} rows written")


@main.command("changes")
@click.option("--since", type=DATE, default=None, help="Only changes made on or after this date.")
@click.option("--table", "table_name", default=None, help="Only this staging table (e.g. mlb_player_batting).")
@click.option("--run", "run_id", type=int, default=None, help="Only the changes of this run.")
@click.option("--limit", default=50, show_default=True, help="How many changes at most.")
@with_dsn
def changes(dsn: str, since, table_name, run_id, limit) -> None:
    """The audit trail of staging values that runs changed (corrections), newest first.

    Example: pipeline changes --since 2024-04-10 --table mlb_player_batting
    """
    require_migrated(dsn)
    with db.connect(dsn) as conn:
        rows = sqlfiles.execute(conn, "ops/change_log_list", {
            "since": since, "table_name": table_name, "run_id": run_id, "limit": limit}).fetchall()
    click.echo(report.table(["id", "changed_at", "run", "table", "key", "column", "old", "new", "raw before",
                             "raw after"], rows))


# -- command groups kept in modules of their own ----------------------------------------------

main.add_command(quality_group)
main.add_command(partitions_group)
main.add_command(archive_group)
main.add_command(schedule_group)
main.add_command(dlq_group)


if __name__ == "__main__":
    sys.exit(main())
