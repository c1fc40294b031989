"""Lands responses in raw.<source>_<endpoint> with COPY: bodies go as ready JSON text (no
Python-side parsing), and the server stores a new version only for new content.

The content hash is computed here; one statement marks the versions the batch repeats as
seen again and names them, and only the new versions are COPYed, straight into the raw
table: each payload crosses the wire and is written once. Should a concurrent landing of
the same new version win the race (a unique violation), the batch goes the slower way,
through a buffer and `on conflict do nothing`.

Both COPYs use the binary format: a body goes as jsonb's binary input (a version byte,
then its JSON text as it came), so neither side escapes nor unescapes 170 KB of text per
box score. The server still parses the text into jsonb and checks its encoding, so a body
it cannot store fails as it did in the text format."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import psycopg
from psycopg.types.json import set_json_dumps

from pipeline import queries
from pipeline.http import ApiResponse

# the columns of landing_copy_raw and of landing_copy (the buffer), in their order
RAW_TYPES = ["text", "jsonb", "date", "timestamptz", "timestamptz", "int8", "int8", "int2", "text", "text", "text",
             "jsonb"]
BUFFER_TYPES = ["text", "jsonb", "date", "timestamptz", "int8", "int2", "text", "text", "text", "jsonb"]


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def json_text(value: object) -> bytes | str:
    """A jsonb value as COPY sends it: a body as the JSON text it came as (never parsed
    here), anything else (request parameters) serialised with sorted keys."""
    return value if isinstance(value, bytes) else json.dumps(value, sort_keys=True)


def buffer_row(response: ApiResponse, run_id: int | None, digest: str | None = None) -> tuple:
    """One response as a row of the landing buffer (the fallback path)."""
    request = response.request
    return (request.key, request.request_params, request.partition_date, response.fetched_at, run_id,
            response.status, response.etag, response.last_modified, digest or content_hash(response.body),
            response.body)


def raw_row(response: ApiResponse, run_id: int | None, digest: str) -> tuple:
    """One response as a row of its raw table (first and last seen: now, by this run)."""
    request = response.request
    return (request.key, request.request_params, request.partition_date, response.fetched_at, response.fetched_at,
            run_id, run_id, response.status, response.etag, response.last_modified, digest, response.body)


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
                    sent = await copy_rows(conn, queries.render("landing_copy_raw", table=table), RAW_TYPES,
                                           [raw_row(response, run_id, digest)
                                            for (_, _, digest), response in new.items()])
            except psycopg.errors.UniqueViolation:
                return await land_through_buffer(conn, table, list(new.values()), run_id, len(seen))
    return LandResult(versions_added=len(new), versions_seen=len(seen), bytes_sent=sent)


async def copy_rows(conn, statement: str, types: list[str], rows: list[tuple]) -> int:
    """COPY `rows` (binary format, the columns' `types`); returns the body bytes sent (the
    last column)."""
    async with conn.cursor() as cursor:
        set_json_dumps(json_text, cursor)
        async with cursor.copy(statement) as copy:
            copy.set_types(types)
            for row in rows:
                await copy.write_row(row)
    return sum(len(row[-1]) for row in rows)


async def land_through_buffer(conn, table: str, responses: list[ApiResponse], run_id: int | None,
                               seen: int) -> LandResult:
    """The race-safe path: buffer, then insert with `on conflict do nothing`."""
    await queries.execute_async(conn, "landing_buffer")
    sent = await copy_rows(conn, queries.render("landing_copy"), BUFFER_TYPES,
                           [buffer_row(response, run_id) for response in responses])
    cursor = await queries.execute_async(conn, "landing_store", table=table)
    added, seen_now = await cursor.fetchone()
    return LandResult(versions_added=added, versions_seen=seen + seen_now, bytes_sent=sent)
