"""Lands responses in raw.<source>_<endpoint> with COPY: bodies go as ready JSON text
(no Python-side parsing), the server stores a new version only for new content."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from pipeline import queries
from pipeline.http import ApiResponse

_NULL = b"\\N"


def _escape(value: bytes) -> bytes:
    """COPY text format: backslash, newline, carriage return and tab are escaped."""
    return (
        value.replace(b"\\", b"\\\\")
        .replace(b"\n", b"\\n")
        .replace(b"\r", b"\\r")
        .replace(b"\t", b"\\t")
    )


def _field(value: object) -> bytes:
    if value is None:
        return _NULL
    if isinstance(value, bytes):
        return _escape(value)
    return _escape(str(value).encode())


def copy_line(response: ApiResponse, run_id: int | None) -> bytes:
    request = response.request
    fields = (
        request.key,
        json.dumps(request.request_params, sort_keys=True),
        request.partition_date.isoformat(),
        response.fetched_at.isoformat(),
        run_id,
        response.status,
        response.etag,
        response.last_modified,
        content_hash(response.body),
        response.body,
    )
    return b"\t".join(_field(value) for value in fields) + b"\n"


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@dataclass
class LandResult:
    versions_added: int = 0
    versions_seen: int = 0
    bytes_sent: int = 0


async def land_responses(conn, table: str, responses: list[ApiResponse], run_id: int | None) -> LandResult:
    """COPY `responses` into raw.`table` in one transaction; idempotent."""
    if not responses:
        return LandResult()
    sent = 0
    async with conn.transaction():
        await queries.execute_async(conn, "landing_buffer")
        async with conn.cursor() as cursor:
            async with cursor.copy(queries.render("landing_copy")) as copy:
                for response in responses:
                    line = copy_line(response, run_id)
                    sent += len(line)
                    await copy.write(line)
        cursor = await queries.execute_async(conn, "landing_store", table=table)
        added, seen = await cursor.fetchone()
    return LandResult(versions_added=added, versions_seen=seen, bytes_sent=sent)
