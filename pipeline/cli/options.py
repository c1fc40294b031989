"""What the command modules share: the date type, shared options written once as
decorators (`source_option`, `wait_options`, `migrated`), the in-process wait that shows a
run's progress, and small helpers."""

from __future__ import annotations

import asyncio
import functools
from datetime import date

import click

from pipeline import db, queries, report, sources
from pipeline.cli import outcome
from pipeline.config import load_settings
from pipeline.errors import PipelineError
from pipeline.runs.progress import run_and_wait
from pipeline.runs.runtime import worker_runtime


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


def _source(ctx, param, value: str) -> sources.Source:
    return sources.get(value)  # an unknown source is one clear line, before any database work


def source_option(func):
    """`--source NAME` (default mlb), given to the command as the Source itself."""
    return click.option("--source", default="mlb", show_default=True, callback=_source,
                        help="The source (a package under pipeline.sources, or named in PIPELINE_SOURCES).")(func)


def wait_options(func):
    """`--wait` and `--concurrency`: work the run in this process until it ends."""
    func = click.option("--concurrency", type=int, default=None,
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


def wait_for(dsn: str, run_id: int, concurrency: int | None) -> None:
    """Work the queue in this process until the run ends, then print its final line; a run
    that did not fully succeed exits with its documented code (see pipeline.cli.outcome)."""
    settings = load_settings()
    asyncio.run(run_and_wait(worker_runtime(dsn, settings), run_id,
                             concurrency=concurrency or settings.worker_concurrency))
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
