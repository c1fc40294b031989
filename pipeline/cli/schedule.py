"""`pipeline schedule`: periodic runs kept as rows of ops.schedules."""

from __future__ import annotations

import click

from pipeline import db, queries, report
from pipeline.cli.options import migrated, migrated_dsn, source_option
from pipeline.errors import PipelineError
from pipeline.runs import schedules


@click.group("schedule")
def schedule_group() -> None:
    """Periodic runs kept in ops.schedules, fired by the workers' tick."""


@schedule_group.command("list")
@migrated
def schedule_list(dsn: str) -> None:
    """Every schedule: cron, mode, parameters, enabled, last and next fire time, and the
    error of its last firing when it failed (it is tried again after a back-off).

    Example: pipeline schedule list
    """
    with db.connect(dsn) as conn:
        rows = queries.execute(conn, "schedule_list").fetchall()
    click.echo(report.table(["name", "source", "cron", "mode", "params", "enabled", "last fired", "next fire",
                             "last run", "last error"], rows))


@schedule_group.command("add")
@click.argument("name")
@click.option("--cron", required=True, help="Cron expression in UTC, e.g. '*/15 * * 3-10 *'.")
@click.option("--mode", type=click.Choice(["incremental", "lookback"]), required=True)
@source_option
@click.option("--param", "params", multiple=True, help="KEY=VALUE run parameter (days, overlap_days).")
def schedule_add(name: str, cron: str, mode: str, source, params: tuple[str, ...]) -> None:
    """Add a schedule (disabled until `pipeline schedule enable`).

    Example: pipeline schedule add nightly-lookback --cron '0 9 * * *' --mode lookback --param days=3
    """
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or key not in ("days", "overlap_days"):
            raise PipelineError(f"--param {item!r}: expected days=N or overlap_days=N")
        if not value.isdigit():
            raise PipelineError(f"--param {item!r}: {key} must be a whole number")
        values[key] = int(value)
    with db.connect(migrated_dsn()) as conn:
        schedules.add(conn, name, source.name, cron, mode, values)
    click.echo(f"schedule {name} added (disabled): {mode} {source.name} at '{cron}'")


def _set_schedule(dsn: str, name: str, enabled: bool) -> None:
    with db.connect(dsn) as conn:
        schedules.set_enabled(conn, name, enabled)
    click.echo(f"schedule {name} {'enabled' if enabled else 'disabled'}")


@schedule_group.command("enable")
@click.argument("name")
@migrated
def schedule_enable(dsn: str, name: str) -> None:
    """Enable a schedule: workers fire it from its next cron time.

    Example: pipeline schedule enable mlb-incremental
    """
    _set_schedule(dsn, name, True)


@schedule_group.command("disable")
@click.argument("name")
@migrated
def schedule_disable(dsn: str, name: str) -> None:
    """Disable a schedule (the row stays).

    Example: pipeline schedule disable mlb-incremental
    """
    _set_schedule(dsn, name, False)


@schedule_group.command("remove")
@click.argument("name")
@migrated
def schedule_remove(dsn: str, name: str) -> None:
    """Delete a schedule.

    Example: pipeline schedule remove nightly-lookback
    """
    with db.connect(dsn) as conn:
        schedules.remove(conn, name)
    click.echo(f"schedule {name} removed")


COMMANDS = [schedule_group]
