"""What the CLI modules share: the date type, the database decorator, the migrated check,
and the in-process wait that shows a run's progress."""

from __future__ import annotations

import asyncio
import functools
from datetime import date

import click

from pipeline import db, report, sqlfiles
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


def wait_for(dsn: str, run_id: int, concurrency: int | None) -> None:
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


def plain_dates(rows: list[tuple]) -> list[tuple]:
    """Dates as YYYY-MM-DD (the shared table formatter shows them with a time)."""
    return [tuple(v.isoformat() if type(v) is date else v for v in row) for row in rows]


def async_conn(dsn: str, work):
    """Run `work(conn)` on an autocommit async connection; returns its result."""

    async def go():
        async with await db.connect_async(dsn, autocommit=True) as conn:
            return await work(conn)

    return asyncio.run(go())
