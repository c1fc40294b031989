"""`pipeline status|summary|changes`: where runs stand, what is loaded, what changed."""

from __future__ import annotations

import json
import time

import click

from pipeline import db, queries, report
from pipeline.cli.options import DATE, LIMIT, ROW_ID, migrated, source_option


@click.command("status")
@click.option("--limit", type=LIMIT, default=10, show_default=True,
              help="How many recent runs (with --slow: SQL files).")
@click.option("--json", "as_json", is_flag=True, help="Print everything as one JSON document.")
@click.option("--watch", is_flag=True, help="Show it again every --interval seconds until Ctrl-C.")
@click.option("--interval", type=click.FloatRange(min=0.5), default=2.0, show_default=True,
              help="Seconds between two views with --watch.")
@click.option("--slow", is_flag=True, help="Instead: the slowest SQL files, by their total time in jobs.")
@migrated
def status(dsn: str, limit: int, as_json: bool, watch: bool, interval: float, slow: bool) -> None:
    """Recent runs (partitions done, extracted, pending, failed; quality), the progress of
    running runs (throughput, ETA from completed work), the queue (oldest queued job), live
    workers and each source's breaker; with --slow, the slowest SQL files instead.

    Example: pipeline status --watch   (or: pipeline status --slow)
    """
    if slow:
        with db.connect(dsn) as conn:
            click.echo(slow_report(conn, limit))
        return
    while True:
        with db.connect(dsn) as conn:
            if as_json:
                click.echo(json.dumps(report.status_data(conn, limit), default=str))
            else:
                if watch:
                    click.clear()
                click.echo(report.status_report(conn, limit))
        if not watch:
            return
        try:
            time.sleep(interval)
        except KeyboardInterrupt:
            return


def slow_report(conn, limit: int) -> str:
    """The SQL files that took longest in jobs (ops.sql_timings), slowest first."""
    cursor = queries.execute(conn, "sql_timing_slowest", {"since": None, "limit": limit})
    rows = cursor.fetchall()
    if not rows:
        return "(no SQL timings yet: they are recorded as jobs run)"
    return "Slowest SQL files (time in jobs)\n" + report.table([column.name for column in cursor.description], rows)


@click.command("summary")
@source_option
@click.option("--run", "run_id", type=ROW_ID, default=None, help="Run id (default: the latest).")
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
@click.option("--run", "run_id", type=ROW_ID, default=None, help="Only the changes of this run.")
@click.option("--limit", type=LIMIT, default=50, show_default=True, help="How many changes at most.")
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
