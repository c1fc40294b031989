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
    """Start runs: backfill (incremental and lookback come next)."""


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
@click.option("--fault-rate", type=float, default=0.0, show_default=True,
              help="Share of requests that fail (429 with Retry-After, 500/503, timeouts, resets, truncated or malformed bodies).")
@click.option("--fault-kinds", default=None, help="Comma-separated subset of the fault kinds to mix (default: all).")
@click.option("--outage", default=None, metavar="START:END", help="Fail every request from START to END seconds after the first one.")
@click.option("--latency-ms", type=float, default=0.0, show_default=True, help="Delay added to every answer.")
def simulate_serve(host: str, port: int, seed: int, season: int, fault_rate: float, fault_kinds: str | None,
                   outage: str | None, latency_ms: float) -> None:
    """Serve the simulated MLB Stats API over HTTP until interrupted. Faults are
    deterministic from the seed; /__sim/stats counts requests and faults.

    Example: pipeline simulate serve --port 8765 --seed 7 --season 2024 --fault-rate 0.1 --outage 5:15
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
    serve(host=host, port=port, seed=seed, season=season, faults=plan)


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
