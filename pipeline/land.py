"""Lands responses in raw.<source>_<endpoint> with COPY: bodies go as ready JSON text (no
Python-side parsing), and the server stores a new version only for new content.

The content hash is computed here; one statement marks the versions the batch repeats as
seen again and names them, and only the new versions are COPYed, straight into the raw
table: each payload crosses the wire and is written once. Should a concurrent landing of
the same new version win the race (a unique violation), the batch goes the slower way,
through a buffer and `on conflict do nothing`."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import psycopg

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


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _line(fields: tuple) -> bytes:
    return b"\t".join(_field(value) for value in fields) + b"\n"


def copy_line(response: ApiResponse, run_id: int | None, digest: str | None = None) -> bytes:
    """One response as a line of the landing buffer (the fallback path)."""
    request = response.request
    return _line((
        request.key,
        json.dumps(request.request_params, sort_keys=True),
        request.partition_date.isoformat(),
        response.fetched_at.isoformat(),
        run_id,
        response.status,
        response.etag,
        response.last_modified,
        digest or content_hash(response.body),
        response.body,
    ))


def raw_line(response: ApiResponse, run_id: int | None, digest: str) -> bytes:
    """One response as a line of its raw table (first and last seen: now, by this run)."""
    request = response.request
    fetched_at = response.fetched_at.isoformat()
    return _line((
        request.key,
        json.dumps(request.request_params, sort_keys=True),
        request.partition_date.isoformat(),
        fetched_at,
        fetched_at,
        run_id,
        run_id,
        response.status,
        response.etag,
        response.last_modified,
        digest,
        response.body,
    ))


@dataclass
class LandResult:
    versions_added: int = 0
    versions_seen: int = 0
    bytes_sent: int = 0


def _distinct(responses: list[ApiResponse]) -> dict[tuple, ApiResponse]:
    """One response per version (request, date, content hash): the latest fetched."""
    versions: dict[tuple, ApiResponse] = {}
    for response in sorted(responses, key=lambda r: r.fetched_at):
        versions[(response.request.key, response.request.partition_date, content_hash(response.body))] = response
    return versions


async def land_responses(conn, table: str, responses: list[ApiResponse], run_id: int | None) -> LandResult:
    """COPY `responses` into raw.`table` in one transaction; idempotent. A body the server
    cannot store as jsonb raises psycopg.DataError and lands nothing of the batch."""
    if not responses:
        return LandResult()
    versions = _distinct(responses)
    async with conn.transaction():
        cursor = await queries.execute_async(conn, "landing_mark_seen", {
            "request_keys": [key for key, _, _ in versions],
            "partition_dates": [day for _, day, _ in versions],
            "content_hashes": [digest for _, _, digest in versions],
            "seen_at": [response.fetched_at for response in versions.values()],
            "run_id": run_id,
        }, table=table)
        seen = {tuple(row) for row in await cursor.fetchall()}
        new = {version: response for version, response in versions.items() if version not in seen}
        sent = 0
        if new:
            try:
                async with conn.transaction():  # a savepoint: the race below rolls back alone
                    sent = await _copy(conn, queries.render("landing_copy_raw", table=table),
                                       [raw_line(response, run_id, digest) for (_, _, digest), response in new.items()])
            except psycopg.errors.UniqueViolation:
                return await land_through_buffer(conn, table, list(new.values()), run_id, len(seen))
    return LandResult(versions_added=len(new), versions_seen=len(seen), bytes_sent=sent)


async def _copy(conn, statement: str, lines: list[bytes]) -> int:
    async with conn.cursor() as cursor:
        async with cursor.copy(statement) as copy:
            for line in lines:
                await copy.write(line)
    return sum(len(line) for line in lines)


async def land_through_buffer(conn, table: str, responses: list[ApiResponse], run_id: int | None,
                               seen: int) -> LandResult:
    """The race-safe path: buffer, then insert with `on conflict do nothing`."""
    await queries.execute_async(conn, "landing_buffer")
    sent = await _copy(conn, queries.render("landing_copy"), [copy_line(response, run_id) for response in responses])
    cursor = await queries.execute_async(conn, "landing_store", table=table)
    added, seen_now = await cursor.fetchone()
    return LandResult(versions_added=added, versions_seen=seen + seen_now, bytes_sent=sent)
