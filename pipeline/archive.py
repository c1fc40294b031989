"""Raw retention and archival.

- compact: versions of dates older than the retention window (default 90 days) shrink to
  the one version per request key and date that staging reads.
- export: a whole raw partition is detached, streamed out with COPY through gzip to
  `<archive dir>/<partition>.copy.gz` with a manifest (row count, row checksum, file
  hash), verified by reading the file back, and only then dropped, in one transaction:
  any failure leaves the partition attached and no file behind.
- restore: the partition is re-created, the file streamed back in with COPY, its checksum
  compared with the manifest's; the transforms can then rebuild staging from it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import jsonschema

from pipeline import queries
from pipeline.config import Settings, load_settings
from pipeline.errors import PipelineError
from pipeline.sources import Source
from pipeline.stage import stage_partition

RETENTION_DAYS = 90
CHUNK = 1 << 20


def retention_days() -> int:
    """PIPELINE_RAW_RETENTION_DAYS (or pipeline.toml raw_retention_days), else 90."""
    return load_settings().raw_retention_days or RETENTION_DAYS


def archive_dir(settings: Settings) -> Path:
    """PIPELINE_ARCHIVE_DIR (or pipeline.toml archive_dir), else `archive/` under the project home."""
    return settings.archive_dir or settings.home / "archive"


_NAME = "^[a-z_][a-z0-9_]{0,62}$"
_HEX = {32: "^[0-9a-f]{32}$", 64: "^[0-9a-f]{64}$"}
_DAY = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# What a manifest must be before a restore believes it: every field, of its type, nothing
# else; names that go into SQL are plain identifiers, the data file a plain file name.
MANIFEST_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["table_name", "partition_name", "range_start", "range_end", "columns", "row_count", "rows_md5",
                 "content_sha256", "file_name", "file_sha256", "exported_at"],
    "properties": {
        "table_name": {"type": "string", "pattern": _NAME},
        "partition_name": {"type": "string", "pattern": _NAME},
        "range_start": {"type": "string", "pattern": _DAY},
        "range_end": {"type": "string", "pattern": _DAY},
        "columns": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": _NAME}},
        "row_count": {"type": "integer", "minimum": 0},
        "rows_md5": {"type": ["string", "null"]},
        "content_sha256": {"type": "string", "pattern": _HEX[64]},
        "file_name": {"type": "string", "pattern": "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,200}$"},
        "file_sha256": {"type": "string", "pattern": _HEX[64]},
        "exported_at": {"type": "string"},
    },
}


def checked_partition_name(name: str) -> str:
    """A raw partition name given by an operator: a plain identifier, so it cannot name a
    file outside the archive folder."""
    if not re.fullmatch(_NAME, name):
        raise PipelineError(f"{name!r} is not a partition name (e.g. mlb_boxscore_y2024m04)")
    return name


@dataclass
class Manifest:
    table_name: str
    partition_name: str
    range_start: str
    range_end: str
    columns: list[str]
    row_count: int
    rows_md5: str
    content_sha256: str
    file_name: str
    file_sha256: str
    exported_at: str

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """The manifest at `path`, checked against MANIFEST_SCHEMA; its data file must be in
        the same folder."""
        try:
            document = json.loads(path.read_text())
            jsonschema.validate(document, MANIFEST_SCHEMA)
            date.fromisoformat(document["range_start"])
        except (ValueError, UnicodeDecodeError) as exc:
            raise PipelineError(f"{path} is not a valid manifest: {str(exc).splitlines()[0]}") from None
        except jsonschema.ValidationError as exc:
            where = "/".join(str(part) for part in exc.absolute_path) or "the document"
            raise PipelineError(f"{path} is not a valid manifest: {where}: {exc.message}") from None
        folder = path.parent.resolve()
        if (folder / document["file_name"]).resolve().parent != folder:
            raise PipelineError(f"{path}: file_name {document['file_name']!r} is outside the archive folder")
        return cls(**document)


async def compact(conn, table: str, *, today: date, retention_days: int = RETENTION_DAYS) -> int:
    """Delete the superseded versions of dates older than the window; returns how many."""
    cursor = await queries.execute_async(conn, "raw_compact", {
        "cutoff": today - timedelta(days=retention_days)}, table=table)
    return max(cursor.rowcount, 0)


async def _partition(conn, partition_name: str) -> tuple:
    cursor = await queries.execute_async(conn, "partition_list_raw", {"table_name": None})
    for row in await cursor.fetchall():
        if row[1] == partition_name:
            return row
    raise PipelineError(f"no raw partition named {partition_name!r} (see `pipeline partitions list`)")


async def _columns(conn, table: str) -> list[str]:
    cursor = await queries.execute_async(conn, "table_columns", {"table_name": table})
    return [name for (name,) in await cursor.fetchall()]


def _file_digest(path: Path) -> tuple[str, str, int]:
    """(sha256 of the file, sha256 of its decompressed content, lines) read back from disk."""
    file_hash, content_hash, lines = hashlib.sha256(), hashlib.sha256(), 0
    with path.open("rb") as raw:
        while chunk := raw.read(CHUNK):
            file_hash.update(chunk)
    with gzip.open(path, "rb") as content:
        while chunk := content.read(CHUNK):
            content_hash.update(chunk)
            lines += chunk.count(b"\n")
    return file_hash.hexdigest(), content_hash.hexdigest(), lines


async def export_partition(conn, partition_name: str, directory: Path) -> Manifest:
    """Detach, export, verify, record and drop one raw partition (all or nothing)."""
    table, name, range_start, range_end, is_default, _, _ = await _partition(conn, partition_name)
    if is_default:
        raise PipelineError("the default partition is not archived: drain it with `pipeline partitions maintain`")
    directory.mkdir(parents=True, exist_ok=True)
    data_path = directory / f"{name}.copy.gz"
    manifest_path = directory / f"{name}.manifest.json"
    columns = await _columns(conn, table)
    try:
        async with conn.transaction():
            await queries.execute_async(conn, "archive_detach", table=table, partition=name)
            cursor = await queries.execute_async(conn, "archive_checksum", partition=name)
            row_count, rows_md5 = await cursor.fetchone()
            content_hash = hashlib.sha256()
            async with conn.cursor() as copy_cursor:
                with gzip.open(data_path, "wb", compresslevel=6) as out:
                    async with copy_cursor.copy(queries.render("archive_copy_out", partition=name,
                                                                columns=columns)) as copy:
                        async for chunk in copy:
                            content_hash.update(chunk)
                            out.write(chunk)
            file_sha256, read_back, lines = _file_digest(data_path)
            if read_back != content_hash.hexdigest() or lines != row_count:
                raise PipelineError(f"export of {name} did not verify ({lines} lines read back, {row_count} rows)")
            manifest = Manifest(table, name, range_start.isoformat(), range_end.isoformat(), columns, row_count,
                                rows_md5, read_back, data_path.name, file_sha256,
                                datetime.now(timezone.utc).isoformat())
            manifest_path.write_text(json.dumps(asdict(manifest), indent=2) + "\n")
            await queries.execute_async(conn, "archive_record", {
                "table_name": table, "partition_name": name, "range_start": range_start,
                "range_end": range_end, "row_count": row_count, "rows_md5": rows_md5,
                "file_path": str(data_path), "file_sha256": file_sha256,
            })
            await queries.execute_async(conn, "archive_drop", partition=name)
    except BaseException:
        data_path.unlink(missing_ok=True)
        manifest_path.unlink(missing_ok=True)
        raise
    return manifest


async def restore_partition(conn, manifest_path: Path) -> Manifest:
    """Re-create a partition from its archive file; the row checksum must match."""
    if not manifest_path.is_file():
        raise PipelineError(f"no manifest at {manifest_path}")
    manifest = Manifest.read(manifest_path)
    data_path = manifest_path.parent / manifest.file_name
    if not data_path.is_file() or _file_digest(data_path)[0] != manifest.file_sha256:
        raise PipelineError(f"{data_path} is missing or does not match its manifest")
    async with conn.transaction():
        await queries.execute_async(conn, "partition_drain_default", {"table_name": manifest.table_name})
        start = date.fromisoformat(manifest.range_start)
        await queries.execute_async(conn, "partition_ensure", {
            "table_name": manifest.table_name, "from_date": start, "to_date": start})
        cursor = await queries.execute_async(conn, "archive_checksum", partition=manifest.partition_name)
        if (await cursor.fetchone())[0]:
            raise PipelineError(f"raw.{manifest.partition_name} already holds rows: not restoring over them")
        async with conn.cursor() as copy_cursor:
            async with copy_cursor.copy(queries.render("archive_copy_in", partition=manifest.partition_name,
                                                        columns=manifest.columns)) as copy:
                with gzip.open(data_path, "rb") as content:
                    while chunk := content.read(CHUNK):
                        await copy.write(chunk)
        cursor = await queries.execute_async(conn, "archive_checksum", partition=manifest.partition_name)
        restored = await cursor.fetchone()
        if tuple(restored) != (manifest.row_count, manifest.rows_md5):
            raise PipelineError(f"restored rows of {manifest.partition_name} do not match the manifest's checksum")
        await queries.execute_async(conn, "archive_restored", {"partition_name": manifest.partition_name})
    return manifest


async def rebuild_from(conn, source: Source, manifest: Manifest) -> list[date]:
    """Stage (validation, staging SQL, quality gate) every date the restored partition holds."""
    endpoint = source.table_endpoints[manifest.table_name]
    cursor = await queries.execute_async(conn, "partition_raw_dates", partition=manifest.partition_name)
    days = [day for (day,) in await cursor.fetchall()]
    for day in days:
        async with conn.transaction():
            await stage_partition(conn, source, endpoint, day, None)
    return days


async def list_archives(conn) -> list[tuple]:
    cursor = await queries.execute_async(conn, "archive_list")
    return await cursor.fetchall()


def eligible(partitions: list[tuple], today: date, retention: int) -> list[tuple]:
    """Monthly partitions wholly older than the retention window: candidates for export."""
    cutoff = today - timedelta(days=retention)
    return [row for row in partitions if not row[4] and row[3] is not None and row[3] <= cutoff]
