"""`pipeline`: the command line. Every command has help with an example; bad input gives
one clear line and a non-zero exit (`--verbose` shows the traceback)."""

from __future__ import annotations

import asyncio
import functools
import sys
from datetime import date

import click
import psycopg

from pipeline import db, logs, migrate, modes, report, sources, sqlfiles
from pipeline.config import load_settings
from pipeline.errors import PipelineError


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date (expected YYYY-MM-DD)", param, ctx)


DATE = IsoDate()


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


def with_dsn(func):
    """Resolve the database (DATABASE_URL or the embedded server) once, for the command."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(db.database_url(load_settings()), *args, **kwargs)

    return wrapper


def require_migrated(dsn: str) -> None:
    with db.connect(dsn) as conn:
        if not sqlfiles.execute(conn, "ops/pending_migrations_check").fetchone()[0]:
            raise PipelineError(f"the database {db.describe(dsn)} is not migrated: run `pipeline db migrate`")


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
        _wait_for(dsn, planned.run_id, concurrency)


def _wait_for(dsn: str, run_id: int, concurrency: int | None) -> None:
    from pipeline.progress import run_and_wait
    from pipeline.tasks import Runtime

    settings = load_settings()
    progress = asyncio.run(run_and_wait(Runtime(dsn, settings), run_id,
                                        concurrency=concurrency or settings.worker_concurrency))
    with db.connect(dsn) as conn:
        click.echo(report.stage_report(conn, run_id))
        errors = report.run_errors(conn, run_id)
    if progress.status != "succeeded":
        detail = "; ".join(errors) or progress.message or "see `pipeline status`"
        raise click.ClickException(f"run {run_id} {progress.status}: {detail}")
    click.echo(f"run {run_id} succeeded")


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


# -- data quality, partitions, archive (issue 5) --------------------------------------------


def _plain_dates(rows: list[tuple]) -> list[tuple]:
    """Dates as YYYY-MM-DD (the shared table formatter shows them with a time)."""
    return [tuple(v.isoformat() if type(v) is date else v for v in row) for row in rows]


def _async_conn(dsn: str, work):
    """Run `work(conn)` on an autocommit async connection; returns its result."""

    async def go():
        async with await db.connect_async(dsn, autocommit=True) as conn:
            return await work(conn)

    return asyncio.run(go())


@main.group("quality")
def quality_group() -> None:
    """Data-quality checks: run them, report results and trends."""


@quality_group.command("run")
@click.option("--source", default="mlb", show_default=True)
@click.option("--start", type=DATE, required=True, help="First date partition to check.")
@click.option("--end", type=DATE, help="Last date partition to check (default: --start).")
@with_dsn
def quality_run(dsn: str, source: str, start: date, end: date | None) -> None:
    """Run the checks of sql/quality/<source>/ on date partitions now and record the results.

    Example: pipeline quality run --start 2024-04-01 --end 2024-04-07
    """
    from datetime import timedelta

    from pipeline import quality

    sources.get(source)
    end = end or start
    if end < start:
        raise PipelineError(f"the end date {end} is before the start date {start}")
    require_migrated(dsn)

    async def work(conn):
        out = []
        day = start
        while day <= end:
            for result in await quality.run_checks(conn, source, day, None):
                out.append((day, result.check.check_name, result.check.severity, result.rows_checked,
                            result.rows_failing, result.metric_value, result.check.threshold,
                            "pass" if result.passed else "FAIL"))
            day += timedelta(days=1)
        return out

    results = _async_conn(dsn, work)
    click.echo(report.table(["partition", "check", "severity", "rows_checked", "rows_failing", "metric",
                             "threshold", "result"], _plain_dates(results)))
    failed = [r for r in results if r[-1] == "FAIL" and r[2] == "error"]
    if failed:
        click.echo(f"{len(failed)} error check(s) failed: those partitions stay out of curated")


@quality_group.command("report")
@click.option("--run", "run_id", type=int, default=None, help="Run id (default: the latest run with results).")
@click.option("--limit", default=10, show_default=True, help="Runs in the trend.")
@with_dsn
def quality_report(dsn: str, run_id: int | None, limit: int) -> None:
    """Check results of a run, its failures (sample keys, quarantined payloads) and the trend.

    Example: pipeline quality report --run 3
    """
    require_migrated(dsn)
    with db.connect(dsn) as conn:
        for title, name, params in (("Checks", "ops/quality_report", {"run_id": run_id}),
                                    ("Failures", "ops/quality_failures", {"run_id": run_id}),
                                    ("Trend", "ops/quality_trend", {"limit": limit})):
            cursor = sqlfiles.execute(conn, name, params)
            rows = cursor.fetchall()
            click.echo(f"{title}\n" + (report.table([c.name for c in cursor.description], _plain_dates(rows))
                                        if rows else "(none)"))
            click.echo("")


@main.group("partitions")
def partitions_group() -> None:
    """Raw table partitions: list them, premake, drain the defaults, compact old versions."""


@partitions_group.command("list")
@click.option("--table", default=None, help="One raw table, e.g. mlb_boxscore.")
@with_dsn
def partitions_list(dsn: str, table: str | None) -> None:
    """Every raw partition with its range, row count and size (default partitions last).

    Example: pipeline partitions list --table mlb_boxscore
    """
    from pipeline import partitions

    require_migrated(dsn)
    rows = _async_conn(dsn, lambda conn: partitions.list_partitions(conn, table))
    click.echo(report.table(["table", "partition", "from", "to", "default", "rows", "bytes"], _plain_dates(rows)))


@partitions_group.command("maintain")
@click.option("--premake", default=3, show_default=True, help="Months ahead to create partitions for.")
@with_dsn
def partitions_maintain(dsn: str, premake: int) -> None:
    """Create partitions ahead of need, drain rows the default partitions caught, compact
    raw versions older than the retention window (PIPELINE_RAW_RETENTION_DAYS, default 90).

    Example: pipeline partitions maintain --premake 3
    """
    from pipeline import archive, partitions

    require_migrated(dsn)
    done = _async_conn(dsn, lambda conn: partitions.maintain(
        conn, today=date.today(), premake_months=premake, retention_days=archive.retention_days()))
    rows = [(table, done.partitions_created[table], done.rows_drained[table], done.versions_compacted[table])
            for table in done.partitions_created]
    click.echo(report.table(["table", "partitions_created", "rows_drained", "versions_compacted"], rows))


@main.group("archive")
def archive_group() -> None:
    """Archive old raw partitions to compressed files, list and restore them."""


def _archive_dir(directory: str | None):
    from pathlib import Path

    from pipeline import archive

    return Path(directory) if directory else archive.archive_dir(load_settings())


@archive_group.command("list")
@with_dsn
def archive_list(dsn: str) -> None:
    """Archived partitions (and restores), and partitions old enough to archive.

    Example: pipeline archive list
    """
    from pipeline import archive, partitions

    require_migrated(dsn)

    async def work(conn):
        return await archive.list_archives(conn), await partitions.list_partitions(conn)

    archived, current = _async_conn(dsn, work)
    click.echo("Archived\n" + (report.table(["id", "table", "partition", "from", "to", "rows", "archived_at",
                                              "restored_at", "file"], _plain_dates(archived)) if archived else "(none)"))
    old = archive.eligible(current, date.today(), archive.retention_days())
    click.echo(f"\nOlder than the retention window ({archive.retention_days()} days)\n"
               + (report.table(["table", "partition", "from", "to", "default", "rows", "bytes"], _plain_dates(old)) if old else "(none)"))


@archive_group.command("export")
@click.option("--partition", "names", multiple=True, help="A raw partition, e.g. mlb_boxscore_y2024m04.")
@click.option("--older-than-retention", is_flag=True, help="Every partition wholly older than the window.")
@click.option("--dir", "directory", default=None, help="Where files go (default PIPELINE_ARCHIVE_DIR or .pipeline/archive).")
@with_dsn
def archive_export(dsn: str, names: tuple[str, ...], older_than_retention: bool, directory: str | None) -> None:
    """Detach, export (gzip'd COPY + manifest), verify, then drop raw partitions.

    Example: pipeline archive export --partition mlb_boxscore_y2024m04
    """
    from pipeline import archive, partitions

    if not names and not older_than_retention:
        raise PipelineError("name a --partition or give --older-than-retention")
    require_migrated(dsn)
    target = _archive_dir(directory)

    async def work(conn):
        chosen = list(names)
        if older_than_retention:
            old = archive.eligible(await partitions.list_partitions(conn), date.today(), archive.retention_days())
            chosen += [row[1] for row in old]
        return [await archive.export_partition(conn, name, target) for name in chosen]

    for manifest in _async_conn(dsn, work):
        click.echo(f"archived raw.{manifest.partition_name}: {manifest.row_count} rows -> "
                   f"{target / manifest.file_name} (verified, partition dropped)")


@archive_group.command("restore")
@click.option("--partition", "name", required=True, help="The archived partition, e.g. mlb_boxscore_y2024m04.")
@click.option("--dir", "directory", default=None, help="Where the files are (default as for export).")
@click.option("--rebuild", is_flag=True, help="Then run the staging SQL for every date the partition holds.")
@click.option("--source", default="mlb", show_default=True, help="The source whose transforms rebuild.")
@with_dsn
def archive_restore(dsn: str, name: str, directory: str | None, rebuild: bool, source: str) -> None:
    """Bring an archived raw partition back (checksum verified), optionally rebuild staging.

    Example: pipeline archive restore --partition mlb_boxscore_y2024m04 --rebuild
    """
    from pipeline import archive

    src = sources.get(source)
    require_migrated(dsn)
    manifest_path = _archive_dir(directory) / f"{name}.manifest.json"

    async def work(conn):
        manifest = await archive.restore_partition(conn, manifest_path)
        days = await archive.rebuild_from(conn, src, manifest) if rebuild else []
        return manifest, days

    manifest, days = _async_conn(dsn, work)
    click.echo(f"restored raw.{manifest.partition_name}: {manifest.row_count} rows, checksum verified"
               + (f"; staging rebuilt for {len(days)} date(s)" if rebuild else ""))


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
        _wait_for(dsn, planned.run_id, concurrency)


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
        _wait_for(dsn, planned.run_id, concurrency)


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


@main.group("schedule")
def schedule_group() -> None:
    """Periodic runs kept in ops.schedules, fired by the workers' tick."""


@schedule_group.command("list")
@with_dsn
def schedule_list(dsn: str) -> None:
    """Every schedule: cron, mode, parameters, enabled, last and next fire time.

    Example: pipeline schedule list
    """
    require_migrated(dsn)
    with db.connect(dsn) as conn:
        rows = sqlfiles.execute(conn, "ops/schedules_list").fetchall()
    click.echo(report.table(["name", "source", "cron", "mode", "params", "enabled", "last fired", "next fire",
                             "last run"], rows))


@schedule_group.command("add")
@click.argument("name")
@click.option("--cron", required=True, help="Cron expression in UTC, e.g. '*/15 * * 3-10 *'.")
@click.option("--mode", type=click.Choice(["incremental", "lookback"]), required=True)
@click.option("--source", default="mlb", show_default=True)
@click.option("--param", "params", multiple=True, help="KEY=VALUE run parameter (days, overlap_days).")
@with_dsn
def schedule_add(dsn: str, name: str, cron: str, mode: str, source: str, params: tuple[str, ...]) -> None:
    """Add a schedule (disabled until `pipeline schedule enable`).

    Example: pipeline schedule add nightly-lookback --cron '0 9 * * *' --mode lookback --param days=3
    """
    from pipeline import schedules

    sources.get(source)
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or key not in ("days", "overlap_days"):
            raise PipelineError(f"--param {item!r}: expected days=N or overlap_days=N")
        if not value.isdigit():
            raise PipelineError(f"--param {item!r}: {key} must be a whole number")
        values[key] = int(value)
    require_migrated(dsn)
    with db.connect(dsn) as conn:
        schedules.add(conn, name, source, cron, mode, values)
    click.echo(f"schedule {name} added (disabled): {mode} {source} at '{cron}'")


def _set_schedule(dsn: str, name: str, enabled: bool) -> None:
    from pipeline import schedules

    require_migrated(dsn)
    with db.connect(dsn) as conn:
        schedules.set_enabled(conn, name, enabled)
    click.echo(f"schedule {name} {'enabled' if enabled else 'disabled'}")


@schedule_group.command("enable")
@click.argument("name")
@with_dsn
def schedule_enable(dsn: str, name: str) -> None:
    """Enable a schedule: workers fire it from its next cron time.

    Example: pipeline schedule enable mlb-incremental
    """
    _set_schedule(dsn, name, True)


@schedule_group.command("disable")
@click.argument("name")
@with_dsn
def schedule_disable(dsn: str, name: str) -> None:
    """Disable a schedule (the row stays).

    Example: pipeline schedule disable mlb-incremental
    """
    _set_schedule(dsn, name, False)


@schedule_group.command("remove")
@click.argument("name")
@with_dsn
def schedule_remove(dsn: str, name: str) -> None:
    """Delete a schedule.

    Example: pipeline schedule remove nightly-lookback
    """
    from pipeline import schedules

    require_migrated(dsn)
    with db.connect(dsn) as conn:
        schedules.remove(conn, name)
    click.echo(f"schedule {name} removed")


# -- dead letters (resilience) -------------------------------------------------------------


@main.group("dlq")
def dlq_group() -> None:
    """Dead letters: requests that failed for good. List, show, replay, discard."""


@dlq_group.command("list")
@click.option("--all", "include_resolved", is_flag=True, help="Include resolved (landed or discarded) letters.")
@click.option("--limit", default=50, show_default=True)
@with_dsn
def dlq_list(dsn: str, include_resolved: bool, limit: int) -> None:
    """List dead letters, open ones first.

    Example: pipeline dlq list --all
    """
    from pipeline import deadletters

    require_migrated(dsn)
    with db.connect(dsn) as conn:
        headers, rows = deadletters.list_letters(conn, include_resolved, limit)
    click.echo(report.table(headers, rows) if rows else "(no dead letters)")


@dlq_group.command("show")
@click.argument("dead_letter_id", type=int)
@with_dsn
def dlq_show(dsn: str, dead_letter_id: int) -> None:
    """Show one dead letter in full: request, error, attempts, when.

    Example: pipeline dlq show 3
    """
    from pipeline import deadletters

    require_migrated(dsn)
    with db.connect(dsn) as conn:
        letter = deadletters.show_letter(conn, dead_letter_id)
    click.echo(report.table(["field", "value"], list(letter.items())))


def _one_or_all(dead_letter_id: int | None, every: bool) -> None:
    if (dead_letter_id is None) == (not every):
        raise PipelineError("give either --id N or --all")


@dlq_group.command("replay")
@click.option("--id", "dead_letter_id", type=int, help="The letter to replay.")
@click.option("--all", "every", is_flag=True, help="Replay every open letter.")
@click.option("--source", default="mlb", show_default=True)
@click.option("--wait", is_flag=True, help="Work the replay in this process and show progress until it ends.")
@click.option("--concurrency", type=int, default=None, help="Jobs at once with --wait.")
def dlq_replay(dead_letter_id: int | None, every: bool, source: str, wait: bool, concurrency: int | None) -> None:
    """Retry the requests of open dead letters; what lands resolves its letter.

    Example: pipeline dlq replay --all --wait
    """
    from pipeline import deadletters

    _one_or_all(dead_letter_id, every)
    sources.get(source)
    dsn = db.database_url(load_settings())
    require_migrated(dsn)
    if dead_letter_id is not None:
        with db.connect(dsn) as conn:
            if deadletters.show_letter(conn, dead_letter_id)["state"] != "open":
                raise PipelineError(f"dead letter {dead_letter_id} is already resolved")
    planned = asyncio.run(deadletters.plan_replay(dsn, source, dead_letter_id))
    if planned is None:
        click.echo("no open dead letters to replay")
        return
    click.echo(f"run {planned.run_id}: replay of {planned.planned} partition(s), {planned.queued} queued")
    if wait:
        _wait_for(dsn, planned.run_id, concurrency)


@dlq_group.command("discard")
@click.option("--id", "dead_letter_id", type=int, help="The letter to discard.")
@click.option("--all", "every", is_flag=True, help="Discard every open letter.")
@with_dsn
def dlq_discard(dsn: str, dead_letter_id: int | None, every: bool) -> None:
    """Give up on open dead letters; they stay listed with `--all` as discarded.

    Example: pipeline dlq discard --id 3
    """
    from pipeline import deadletters

    _one_or_all(dead_letter_id, every)
    require_migrated(dsn)
    with db.connect(dsn) as conn:
        discarded = deadletters.discard_letters(conn, dead_letter_id)
    click.echo(f"discarded {len(discarded)} dead letter(s)")


if __name__ == "__main__":
    sys.exit(main())
