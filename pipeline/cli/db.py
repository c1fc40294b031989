"""`pipeline db`: migrate, status, url, stop the embedded server."""

from __future__ import annotations

import click

from pipeline import db, migrate, queries, report
from pipeline.cli.options import with_dsn
from pipeline.config import load_settings


@click.group("db")
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
@click.option("--remove-data", is_flag=True, help="Also delete the embedded server's data, wherever it lives.")
def db_stop(remove_data: bool) -> None:
    """Stop the embedded PostgreSQL that `pipeline db url` names, wherever its data lives
    (no effect with DATABASE_URL).

    Example: pipeline db stop --remove-data
    """
    settings = load_settings()
    if settings.database_url:
        click.echo("DATABASE_URL is set: nothing embedded to stop")
        return
    data_dir = db.embedded_data_dir(settings)
    if db.stop_embedded(settings):
        click.echo(f"embedded PostgreSQL stopped (data in {data_dir})")
    else:
        click.echo(f"embedded PostgreSQL was not running (data in {data_dir})")
    if remove_data:
        for removed in db.remove_embedded(settings):
            click.echo(f"removed {removed}")


GROUP_ROLES = {"analyst": "pipeline_analyst", "writer": "pipeline_writer"}


@db_group.command("grant")
@click.argument("kind", type=click.Choice(sorted(GROUP_ROLES)))
@click.argument("login")
@with_dsn
def db_grant(dsn: str, kind: str, login: str) -> None:
    """Grant pipeline_analyst or pipeline_writer (made by the migrations) to LOGIN.

    analyst: read staging, curated and the ops records of runs and quality, nothing of
    raw, no writes. writer: what a worker needs, no DDL but partition maintenance.

    Example: pipeline db grant writer pipeline_worker
    """
    with db.connect(dsn) as conn:
        queries.execute(conn, "role_grant", group_role=GROUP_ROLES[kind], login=login)
    click.echo(f"granted {GROUP_ROLES[kind]} to {login}")


COMMANDS = [db_group]
