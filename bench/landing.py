"""Benchmark: the landing path against a plain COPY of the same payloads, same run.

Renders the simulated box scores of a date range once, then, for several rounds, lands
them three ways into fresh tables on one connection, a day's worth of box scores per call:
- plain COPY of the JSON text into an empty `jsonb` table, in the binary format as the
  landing path's (the baseline: no dedup at all);
- the pipeline's landing path (`land_responses`: hash here, mark repeated versions as seen,
  COPY only new versions straight into the raw table);
- the buffer path it replaced (COPY into a temporary buffer, then insert the new content
  hashes: the payload written twice), kept as the race-safe fallback.
Prints MB/s per way (median over the rounds) and each as a fraction of the baseline, then
lands the same payloads again through the landing path to show that an identical re-fetch
stores nothing.

    python bench/landing.py                                  # embedded PostgreSQL
    python bench/landing.py --dsn postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import jsonb_copy_stream  # noqa: E402
from storage import embedded_dsn, responses, scratch_database  # noqa: E402

from pipeline import migrate  # noqa: E402
from pipeline.land import land_responses, land_through_buffer  # noqa: E402


def by_day(batch):
    days: dict[date, list] = {}
    for response in batch:
        days.setdefault(response.request.partition_date, []).append(response)
    return list(days.values())


async def plain_copy(conn, batch, table: str) -> float:
    await conn.execute(f"create table public.{table} (payload jsonb)")
    started = time.perf_counter()
    for day in by_day(batch):
        async with conn.transaction():
            async with conn.cursor() as cursor:
                async with cursor.copy(f"copy public.{table} (payload) from stdin with binary") as copy:
                    for chunk in jsonb_copy_stream(response.body for response in day):
                        await copy.write(chunk)
    return time.perf_counter() - started


async def landing(conn, batch, table: str, how) -> float:
    await conn.execute(f"select ops.create_raw_table('{table}')")
    days = [response.request.partition_date for response in batch]
    await conn.execute("select ops.ensure_monthly_partitions(%s, %s, %s)", [table, min(days), max(days)])
    started = time.perf_counter()
    for day in by_day(batch):
        await how(conn, table, day)
    return time.perf_counter() - started


async def direct(conn, table, day):
    return await land_responses(conn, table, day, None)


async def buffered(conn, table, day):
    async with conn.transaction():
        return await land_through_buffer(conn, table, day, None, 0)


async def measure(dsn: str, batch, rounds: int) -> dict[str, list[float]]:
    seconds: dict[str, list[float]] = {"plain COPY": [], "landing path": [], "buffer path (before)": []}
    async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
        for index in range(rounds):  # interleaved, so a busy moment hits every way alike
            seconds["plain COPY"].append(await plain_copy(conn, batch, f"copy_baseline_{index}"))
            seconds["landing path"].append(await landing(conn, batch, f"bench_direct_{index}", direct))
            seconds["buffer path (before)"].append(await landing(conn, batch, f"bench_buffer_{index}", buffered))
        again = [await land_responses(conn, "bench_direct_0", day, None) for day in by_day(batch)]
    seconds["re-fetch"] = [sum(result.versions_added for result in again)]
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", help="a server to use (a scratch database is made and dropped)")
    parser.add_argument("--start", default="2024-04-01")
    parser.add_argument("--end", default="2024-04-14")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    batch = responses(start, end)
    megabytes = sum(len(response.body) for response in batch) / 1e6
    dsn, cleanup = scratch_database(args.dsn) if args.dsn else embedded_dsn()
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            migrate.migrate(conn)
            version = conn.execute("show server_version").fetchone()[0].split()[0]
        seconds = asyncio.run(measure(dsn, batch, args.rounds))
    finally:
        cleanup()
    stored_again = seconds.pop("re-fetch")[0]
    baseline = megabytes / statistics.median(seconds["plain COPY"])
    print(f"PostgreSQL {version}: {len(batch)} box scores {start}..{end}, {megabytes:.1f} MB of JSON, "
          f"median of {args.rounds} interleaved rounds, one connection, a day per call")
    for way, values in seconds.items():
        rate = megabytes / statistics.median(values)
        print(f"  {way:<22} {rate:6.1f} MB/s = {rate / baseline:.2f} of plain COPY")
    print(f"  identical re-fetch through the landing path: {stored_again} new versions stored")


if __name__ == "__main__":
    main()
