"""Partition maintenance: raw tables' monthly partitions and the staging player lines'
yearly partitions made ahead of need (pg_partman's premake, without the extension), rows
caught by a default partition drained into their range, and raw versions past the
retention window compacted. `pipeline partitions maintain` runs it
on demand; a procrastinate periodic task runs it daily."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pipeline import archive, queries, sources

PREMAKE_MONTHS = 3


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class MaintainReport:
    partitions_created: dict[str, int] = field(default_factory=dict)
    rows_drained: dict[str, int] = field(default_factory=dict)
    versions_compacted: dict[str, int] = field(default_factory=dict)


def raw_tables() -> list[str]:
    return [table for source in sources.all_sources() for table in source.raw_tables]


async def maintain(conn, *, today: date, premake_months: int = PREMAKE_MONTHS,
                   retention_days: int = archive.RETENTION_DAYS) -> MaintainReport:
    """Premake this month and the next `premake_months`, drain the defaults, compact."""
    report = MaintainReport()
    async with conn.transaction():
        cursor = await queries.execute_async(conn, "partition_drain_staging_defaults")
        report.rows_drained["staging"] = (await cursor.fetchone())[0]
    cursor = await queries.execute_async(conn, "partition_ensure_staging", {
        "from_date": today, "to_date": add_months(today, premake_months)})
    report.partitions_created["staging"] = (await cursor.fetchone())[0]
    report.versions_compacted["staging"] = 0
    for table in raw_tables():
        cursor = await queries.execute_async(conn, "partition_ensure", {
            "table_name": table, "from_date": today, "to_date": add_months(today, premake_months),
        })
        report.partitions_created[table] = (await cursor.fetchone())[0]
        async with conn.transaction():
            cursor = await queries.execute_async(conn, "partition_drain_default", {"table_name": table})
            report.rows_drained[table] = (await cursor.fetchone())[0]
        report.versions_compacted[table] = await archive.compact(conn, table, today=today,
                                                                  retention_days=retention_days)
    return report


async def list_partitions(conn, table: str | None = None) -> list[tuple]:
    cursor = await queries.execute_async(conn, "partition_list_raw", {"table_name": table})
    return await cursor.fetchall()
