"""`pipeline partitions`: raw partitions: list, premake, drain the defaults, compact."""

from __future__ import annotations

from datetime import date

import click

from pipeline import archive, partitions, report
from pipeline.cli.options import PREMAKE_MONTHS, async_conn, migrated, plain_dates


@click.group("partitions")
def partitions_group() -> None:
    """Raw table partitions: list them, premake, drain the defaults, compact old versions."""


@partitions_group.command("list")
@click.option("--table", default=None, help="One raw table, e.g. mlb_boxscore.")
@migrated
def partitions_list(dsn: str, table: str | None) -> None:
    """Every raw partition with its range, row count and size (default partitions last).

    Example: pipeline partitions list --table mlb_boxscore
    """
    rows = async_conn(dsn, lambda conn: partitions.list_partitions(conn, table))
    click.echo(report.table(["table", "partition", "from", "to", "default", "rows", "bytes"], plain_dates(rows)))


@partitions_group.command("maintain")
@click.option("--premake", type=PREMAKE_MONTHS, default=3, show_default=True, help="Months ahead to create partitions for.")
@migrated
def partitions_maintain(dsn: str, premake: int) -> None:
    """Create partitions ahead of need, drain rows the default partitions caught, compact
    raw versions older than the retention window (PIPELINE_RAW_RETENTION_DAYS, default 90).

    Example: pipeline partitions maintain --premake 3
    """
    done = async_conn(dsn, lambda conn: partitions.maintain(
        conn, today=date.today(), premake_months=premake, retention_days=archive.retention_days()))
    rows = [(table, done.partitions_created[table], done.rows_drained[table], done.versions_compacted[table])
            for table in done.partitions_created]
    click.echo(report.table(["table", "partitions_created", "rows_drained", "versions_compacted"], rows))


COMMANDS = [partitions_group]
