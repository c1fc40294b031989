"""Staging one partition from the raw zone: validate the raw versions, run the source's
staging files for the partition's endpoint in the order their headers give, then the
quality gate. Used by the transform job, by restage runs and by an archive restore alike.

Which files run for an endpoint: the files under `staging/<source>/` whose `sources:`
header names a raw table the source maps to that endpoint; their order: each after the
files that fill the tables it names in `sources:` or `depends:`.
"""

from __future__ import annotations

from datetime import date

from pipeline import quality, sqlfiles
from pipeline.sources import Source
from pipeline.sqlfiles import SqlFile


def target_table(sql_file: SqlFile) -> str:
    """`staging/mlb/games` fills `staging.mlb_games`."""
    zone, source, table = sql_file.name.split("/", 2)
    return f"{zone}.{source}_{table.replace('/', '_')}"


def staging_files(source: Source, endpoint: str) -> list[str]:
    """The staging files an endpoint's partition runs, in dependency order."""
    raw_tables = {f"raw.{table}" for table, owner in source.table_endpoints.items() if owner == endpoint}
    files = [sql_file for sql_file in source.sql.files(f"staging/{source.name}/")
             if raw_tables & set(sql_file.names("sources"))]
    return [sql_file.name for sql_file in sqlfiles.in_dependency_order(files, target_table)]


async def stage_partition(conn, source: Source, endpoint: str, partition_date: date, run_id: int | None,
                          *, check: bool = True) -> int:
    """Validate, stage and (for checked endpoints) check one partition; call it inside a
    transaction. A date whose staging changed or whose gate moved is marked as owed a
    curated refresh. Returns the rows the staging files wrote."""
    await quality.validate_raw(conn, source, endpoint, partition_date)
    written = 0
    for name in staging_files(source, endpoint):
        cursor = await source.sql.execute_async(conn, name, {"partition_date": partition_date})
        written += await sqlfiles.rows_written(cursor)
    results = []
    if check:
        # the quality gate: results recorded; a failed error check keeps the date out of curated
        results = await quality.check_partition(conn, source, endpoint, partition_date, run_id)
    if endpoint in source.dated_endpoints:
        await quality.owe_curated_refresh(conn, source, partition_date, run_id, written, results)
    return written
