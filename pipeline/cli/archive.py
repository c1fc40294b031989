"""`pipeline archive`: old raw partitions to verified compressed files, list, restore."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from pipeline import archive, partitions, report
from pipeline.cli.options import async_conn, migrated, migrated_dsn, plain_dates, source_option
from pipeline.config import load_settings
from pipeline.errors import PipelineError


@click.group("archive")
def archive_group() -> None:
    """Archive old raw partitions to compressed files, list and restore them."""


def _archive_dir(directory: str | None) -> Path:
    return Path(directory) if directory else archive.archive_dir(load_settings())


@archive_group.command("list")
@migrated
def archive_list(dsn: str) -> None:
    """Archived partitions (and restores), and partitions old enough to archive.

    Example: pipeline archive list
    """

    async def work(conn):
        return await archive.list_archives(conn), await partitions.list_partitions(conn)

    archived, current = async_conn(dsn, work)
    click.echo("Archived\n" + (report.table(["id", "table", "partition", "from", "to", "rows", "archived_at",
                                              "restored_at", "file"], plain_dates(archived)) if archived else "(none)"))
    old = archive.eligible(current, date.today(), archive.retention_days())
    click.echo(f"\nOlder than the retention window ({archive.retention_days()} days)\n"
               + (report.table(["table", "partition", "from", "to", "default", "rows", "bytes"], plain_dates(old)) if old else "(none)"))


@archive_group.command("export")
@click.option("--partition", "names", multiple=True, help="A raw partition, e.g. mlb_boxscore_y2024m04.")
@click.option("--older-than-retention", is_flag=True, help="Every partition wholly older than the window.")
@click.option("--dir", "directory", default=None, help="Where files go (default PIPELINE_ARCHIVE_DIR or .pipeline/archive).")
def archive_export(names: tuple[str, ...], older_than_retention: bool, directory: str | None) -> None:
    """Detach, export (gzip'd COPY + manifest), verify, then drop raw partitions.

    Example: pipeline archive export --partition mlb_boxscore_y2024m04
    """
    if not names and not older_than_retention:
        raise PipelineError("name a --partition or give --older-than-retention")
    names = tuple(archive.checked_partition_name(name) for name in names)
    dsn = migrated_dsn()
    target = _archive_dir(directory)

    async def work(conn):
        chosen = list(names)
        if older_than_retention:
            old = archive.eligible(await partitions.list_partitions(conn), date.today(), archive.retention_days())
            chosen += [row[1] for row in old]
        return [await archive.export_partition(conn, name, target) for name in chosen]

    for manifest in async_conn(dsn, work):
        click.echo(f"archived raw.{manifest.partition_name}: {manifest.row_count} rows -> "
                   f"{target / manifest.file_name} (verified, partition dropped)")


@archive_group.command("restore")
@click.option("--partition", "name", required=True, help="The archived partition, e.g. mlb_boxscore_y2024m04.")
@click.option("--dir", "directory", default=None, help="Where the files are (default as for export).")
@click.option("--rebuild", is_flag=True, help="Then run the staging SQL for every date the partition holds.")
@source_option
def archive_restore(name: str, directory: str | None, rebuild: bool, source) -> None:
    """Bring an archived raw partition back (checksum verified), optionally rebuild staging.

    Example: pipeline archive restore --partition mlb_boxscore_y2024m04 --rebuild
    """
    manifest_path = _archive_dir(directory) / f"{archive.checked_partition_name(name)}.manifest.json"
    dsn = migrated_dsn()

    async def work(conn):
        manifest = await archive.restore_partition(conn, manifest_path)
        days = await archive.rebuild_from(conn, source, manifest) if rebuild else []
        return manifest, days

    manifest, days = async_conn(dsn, work)
    click.echo(f"restored raw.{manifest.partition_name}: {manifest.row_count} rows, checksum verified"
               + (f"; staging rebuilt for {len(days)} date(s)" if rebuild else ""))


COMMANDS = [archive_group]
