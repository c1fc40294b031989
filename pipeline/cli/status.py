"""`pipeline status|summary|changes`: where runs stand, what is loaded, what changed."""

from __future__ import annotations

import click

from pipeline import db, queries, report
from pipeline.cli.options import DATE, migrated, source_option


@click.command("status")
@click.option("--limit", default=10, show_default=True, help="How many recent runs (with --slow: SQL files).")
@click.option("--slow", is_flag=True, help="Instead: the slowest SQL files, by their total time in jobs.")
@migrated
def status(dsn: str, limit: int, slow: bool) -> None:
    """Recent runs, their partitions done/failed/pending, and the queue depth.

    Example: pipeline status --limit 5   (or: pipeline status --slow)
    """
    with db.connect(dsn) as conn:
        click.echo(slow_report(conn, limit) if slow else report.status_report(conn, limit))


def slow_report(conn, limit: int) -> str:
    """The SQL files that took longest in jobs (ops.sql_timings), slowest first."""
    cursor = queries.execute(conn, "sql_timing_slowest", {"since": None, "limit": limit})
    rows = cursor.fetchall()
    if not rows:
        return "(no SQL timings yet: they are recorded as jobs run)"
    return "Slowest SQL files (time in jobs)\n" + report.table([column.name for column in cursor.description], rows)


@click.command("summary")
@source_option
@click.option("--run", "run_id", type=int, default=None, help="Run id (default: the latest).")
@migrated
def summary(dsn: str, source, run_id: int | None) -> None:
    """What the source's reports say (sql/reports/<source>/), and how long each stage of a
    run took.

    Example: pipeline summary --run 3
    """
    with db.connect(dsn) as conn:
        click.echo(report.summary_report(conn, source, run_id))


@click.command("changes")
@click.option("--since", type=DATE, default=None, help="Only changes made on or after this date.")
@click.option("--table", "table_name", default=None, help="Only this staging table (e.g. mlb_player_batting).")
@click.option("--run", "run_id", type=int, default=None, help="Only the changes of this run.")
@click.option("--limit", default=50, show_default=True, help="How many changes at most.")
@migrated
def changes(dsn: str, since, table_name, run_id, limit) -> None:
    """The audit trail of staging values that runs changed (corrections), newest first.

    Example: pipeline changes --since 2024-04-10 --table mlb_player_batting
    """
    with db.connect(dsn) as conn:
        rows = queries.execute(conn, "change_log_list", {
            "since": since, "table_name": table_name, "run_id": run_id, "limit": limit}).fetchall()
    click.echo(report.table(["id", "changed_at", "run", "table", "key", "column", "old", "new", "raw before",
                             "raw after"], rows))


COMMANDS = [status, summary, changes]
