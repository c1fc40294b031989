"""What the command modules share: the date type, shared options written once as
decorators (`source_option`, `wait_options`, `migrated`), the in-process wait that shows a
run's progress, and small helpers."""

from __future__ import annotations

import asyncio
import functools
from datetime import date

import click
import psycopg
import psycopg_pool
from procrastinate import exceptions as procrastinate_exceptions

from pipeline import db, queries, report, sources
from pipeline.cli import outcome
from pipeline.config import load_settings
from pipeline.errors import DatabaseUnreachable, PipelineError
from pipeline.runs.progress import run_and_wait
from pipeline.runs.runtime import worker_runtime


# The window a date or season may fall in: the first major-league season (1876) to the
# end of next year. A date outside it is a typo, and one such date planned partitions and
# checkpoints that broke `partitions list` and `archive` until dropped by hand.
FIRST_YEAR = 1876


def last_year() -> int:
    return date.today().year + 1


class IsoDate(click.ParamType):
    """A YYYY-MM-DD date within the sane window."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            day = value
        else:
            try:
                day = date.fromisoformat(value)
            except ValueError:
                self.fail(f"{value!r} is not a date (expected YYYY-MM-DD)", param, ctx)
        if not FIRST_YEAR <= day.year <= last_year():
            self.fail(f"{day.isoformat()} is outside {FIRST_YEAR}-01-01..{last_year()}-12-31", param, ctx)
        return day


class Season(click.ParamType):
    """A season year within the sane window."""

    name = "YEAR"

    def convert(self, value, param, ctx):
        try:
            season = int(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a year", param, ctx)
        if not FIRST_YEAR <= season <= last_year():
            self.fail(f"{season} is not a season from {FIRST_YEAR} to {last_year()}", param, ctx)
        return season


DATE = IsoDate()
SEASON = Season()
# Values an operator types, checked where they enter (click names the option and the value)
LOOKBACK_DAYS = click.IntRange(1, 366)  # a longer window is a backfill
OVERLAP_DAYS = click.IntRange(0, 366)
CONCURRENCY = click.IntRange(1, 256)
PREMAKE_MONTHS = click.IntRange(0, 60)  # at most five years ahead
PORT = click.IntRange(0, 65535)  # 0: a free port
LIMIT = click.IntRange(1, 100_000)
ROW_ID = click.IntRange(1, 2**63 - 1)  # a run or dead letter id (bigint)


def _source(ctx, param, value: str) -> sources.Source:
    return sources.get(value)  # an unknown source is one clear line, before any database work


def source_option(func):
    """`--source NAME` (default mlb), given to the command as the Source itself."""
    return click.option("--source", default="mlb", show_default=True, callback=_source,
                        help="The source (a package under pipeline.sources, or named in PIPELINE_SOURCES).")(func)


def wait_options(func):
    """`--wait` and `--concurrency`: work the run in this process until it ends."""
    func = click.option("--concurrency", type=CONCURRENCY, default=None,
                        help="Jobs at once with --wait (default PIPELINE_WORKER_CONCURRENCY or 4).")(func)
    return click.option("--wait", is_flag=True,
                        help="Work the jobs in this process and show progress until the run ends.")(func)


def migrated_dsn() -> str:
    """The database (DATABASE_URL or the embedded server), once it is known to be migrated.
    Commands call it after their arguments are known to be good."""
    dsn = db.database_url(load_settings())
    with db.connect(dsn) as conn:
        if not queries.execute(conn, "migrations_pending_check").fetchone()[0]:
            raise PipelineError(f"the database {db.describe(dsn)} is not migrated: run `pipeline db migrate`")
    return dsn


def with_dsn(func):
    """Resolve the database (DATABASE_URL or the embedded server) once, for the command."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(db.database_url(load_settings()), *args, **kwargs)

    return wrapper


def migrated(func):
    """Give the command the DSN of a migrated database as its first argument."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(migrated_dsn(), *args, **kwargs)

    return wrapper


class DatabaseLost(click.ClickException):
    """The database went away while a command waited on a run: one line, its own exit code
    (the run itself is intact: its jobs resume once a worker can reach the database)."""

    exit_code = 69  # EX_UNAVAILABLE (sysexits.h)


def wait_for(dsn: str, run_id: int, concurrency: int | None) -> None:
    """Work the queue in this process until the run ends, then print its final line; a run
    that did not fully succeed exits with its documented code (see pipeline.cli.outcome)."""
    settings = load_settings()
    try:
        asyncio.run(run_and_wait(worker_runtime(dsn, settings), run_id,
                                 concurrency=concurrency or settings.worker_concurrency))
    except (psycopg.OperationalError, psycopg_pool.PoolTimeout, procrastinate_exceptions.ConnectorException,
            DatabaseUnreachable) as exc:
        context = click.get_current_context(silent=True)
        if context is not None and (context.find_root().obj or {}).get("verbose"):
            raise
        raise DatabaseLost(f"lost the database {db.describe(dsn)} while waiting for run {run_id} "
                           f"({type(exc).__name__}); the run resumes when a worker reaches it again") from exc
    with db.connect(dsn) as conn:
        click.echo(report.stage_report(conn, run_id))
        errors = report.run_errors(conn, run_id)
        result = outcome.read_outcome(conn, run_id)
    outcome.finish_with(result, errors)


def plain_dates(rows: list[tuple]) -> list[tuple]:
    """Dates as YYYY-MM-DD (the shared table formatter shows them with a time)."""
    return [tuple(v.isoformat() if type(v) is date else v for v in row) for row in rows]


def async_conn(dsn: str, work):
    """Run `work(conn)` on an autocommit async connection; returns its result."""

    async def go():
        async with await db.connect_async(dsn, autocommit=True) as conn:
            return await work(conn)

    return asyncio.run(go())
