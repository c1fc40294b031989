"""`pipeline quality|partitions|archive`: data-quality checks, raw partitions, archives."""

from __future__ import annotations

from datetime import date

import click

from pipeline import db, report, sources, sqlfiles
from pipeline.cli_support import DATE, async_conn, plain_dates, require_migrated, with_dsn
from pipeline.config import load_settings
from pipeline.errors import PipelineError


@click.group("quality")
def quality_group() -> None:
    """Data-quality checks: run them, report results and trends."""


@quality_group.command("run")
@click.option("--source", default="mlb", show_default=True)
@click.option("--start", type=DATE, required=True, help="First date partition to check.")
@click.option("--end", type=DATE, help="Last date partition to check (default: --start).")
@with_dsn
def quality_run(dsn: str, source: str, start: date, end: date | None) -> None:
    """Run the checks of sql/quality/<source>/ on date partitions now and record the results.

    Example: pipeline quality run --start 2024-04-01 --end 2024-04-07
    """
    from datetime import timedelta

    from pipeline import quality

    sources.get(source)
    end = end or start
    if end < start:
        raise PipelineError(f"the end date {end} is before the start date {start}")
    require_migrated(dsn)

    async def work(conn):
        out = []
        day = start
        while day <= end:
            for result in await quality.run_checks(conn, source, day, None):
                out.append((day, result.check.check_name, result.check.severity, result.rows_checked,
                            result.rows_failing, result.metric_value, result.check.threshold,
                            "pass" if result.passed else "FAIL"))
            day += timedelta(days=1)
        return out

    results = async_conn(dsn, work)
    click.echo(report.table(["partition", "check", "severity", "rows_checked", "rows_failing", "metric",
                             "threshold", "result"], plain_dates(results)))
    failed = [r for r in results if r[-1] == "FAIL" and r[2] == "error"]
    if failed:
        click.echo(f"{len(failed)} error check(s) failed: those partitions stay out of curated")


@quality_group.command("report")
@click.option("--run", "run_id", type=int, default=None, help="Run id (default: the latest run with results).")
@click.option("--limit", default=10, show_default=True, help="Runs in the trend.")
@with_dsn
def quality_report(dsn: str, run_id: int | None, limit: int) -> None:
    """Check results of a run, its failures (sample keys, quarantined payloads) and the trend.

    Example: pipeline quality report --run 3
    """
    require_migrated(dsn)
    with db.connect(dsn) as conn:
        for title, name, params in (("Checks", "ops/quality_report", {"run_id": run_id}),
                                    ("Failures", "ops/quality_failures", {"run_id": run_id}),
                                    ("Trend", "ops/quality_trend", {"limit": limit})):
            cursor = sqlfiles.execute(conn, name, params)
            rows = cursor.fetchall()
            click.echo(f"{title}\n" + (report.table([c.name for c in cursor.description], plain_dates(rows))
                                        if rows else "(none)"))
            click.echo("")


@click.group("partitions")
def partitions_group() -> None:
    """Raw table partitions: list them, premake, drain the defaults, compact old versions."""


@partitions_group.command("list")
@click.option("--table", default=None, help="One raw table, e.g. mlb_boxscore.")
@with_dsn
def partitions_list(dsn: str, table: str | None) -> None:
    """Every raw partition with its range, row count and size (default partitions last).

    Example: pipeline partitions list --table mlb_boxscore
    """
    from pipeline import partitions

    require_migrated(dsn)
    rows = async_conn(dsn, lambda conn: partitions.list_partitions(conn, table))
    click.echo(report.table(["table", "partition", "from", "to", "default", "rows", "bytes"], plain_dates(rows)))


@partitions_group.command("maintain")
@click.option("--premake", default=3, show_default=True, help="Months ahead to create partitions for.")
@with_dsn
def partitions_maintain(dsn: str, premake: int) -> None:
    """Create partitions ahead of need, drain rows the default partitions caught, compact
    raw versions older than the retention window (PIPELINE_RAW_RETENTION_DAYS, default 90).

    Example: pipeline partitions maintain --premake 3
    """
    from pipeline import archive, partitions

    require_migrated(dsn)
    done = async_conn(dsn, lambda conn: partitions.maintain(
        conn, today=date.today(), premake_months=premake, retention_days=archive.retention_days()))
    rows = [(table, done.partitions_created[table], done.rows_drained[table], done.versions_compacted[table])
            for table in done.partitions_created]
    click.echo(report.table(["table", "partitions_created", "rows_drained", "versions_compacted"], rows))


@click.group("archive")
def archive_group() -> None:
    """Archive old raw partitions to compressed files, list and restore them."""


def _archive_dir(directory: str | None):
    from pathlib import Path

    from pipeline import archive

    return Path(directory) if directory else archive.archive_dir(load_settings())


@archive_group.command("list")
@with_dsn
def archive_list(dsn: str) -> None:
    """Archived partitions (and restores), and partitions old enough to archive.

    Example: pipeline archive list
    """
    from pipeline import archive, partitions

    require_migrated(dsn)

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
@with_dsn
def archive_export(dsn: str, names: tuple[str, ...], older_than_retention: bool, directory: str | None) -> None:
    """Detach, export (gzip'd COPY + manifest), verify, then drop raw partitions.

    Example: pipeline archive export --partition mlb_boxscore_y2024m04
    """
    from pipeline import archive, partitions

    if not names and not older_than_retention:
        raise PipelineError("name a --partition or give --older-than-retention")
    require_migrated(dsn)
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
@click.option("--source", default="mlb", show_default=True, help="The source whose transforms rebuild.")
@with_dsn
def archive_restore(dsn: str, name: str, directory: str | None, rebuild: bool, source: str) -> None:
    """Bring an archived raw partition back (checksum verified), optionally rebuild staging.

    Example: pipeline archive restore --partition mlb_boxscore_y2024m04 --rebuild
    """
    from pipeline import archive

    src = sources.get(source)
    require_migrated(dsn)
    manifest_path = _archive_dir(directory) / f"{name}.manifest.json"

    async def work(conn):
        manifest = await archive.restore_partition(conn, manifest_path)
        days = await archive.rebuild_from(conn, src, manifest) if rebuild else []
        return manifest, days

    manifest, days = async_conn(dsn, work)
    click.echo(f"restored raw.{manifest.partition_name}: {manifest.row_count} rows, checksum verified"
               + (f"; staging rebuilt for {len(days)} date(s)" if rebuild else ""))
