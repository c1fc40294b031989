"""Benchmark: a full simulated season backfilled end to end.

Prints wall time per stage, API requests, rows landed, the worker's peak memory, and, in
the same run, the plain-COPY throughput of the same payloads into an empty table whose
payloads are compressed as raw.mlb_boxscore's (lz4 where the server has it, else pglz), so
the landing rate can be read as a fraction of that limit. The landing path alone lands
into a raw table made as a new source's is (`ops.create_raw_table_compressed`).

    python bench/backfill.py                  # the whole 2024 season (make bench)
    python bench/backfill.py --start 2024-04-01 --end 2024-04-14   # a quick look
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shutil
import subprocess
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

import psycopg

from pipeline import queries
from pipeline.http import ApiResponse
from pipeline.land import land_responses
from pipeline.sources import mlb

from harness import (CLI, CpuMeter, bench_env, cli, cpu_line, jsonb_copy_stream, latest_run_stages, requests_served,
                     start_simulator, timed_cli)

def run_backfill(args, env: dict) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KB) and CPU seconds of the process that plans and works the run."""
    span = ["--season", str(args.season)] if not args.start else ["--start", args.start, "--end", args.end]
    return timed_cli(["run", "backfill", *span, "--wait", "--concurrency", str(args.concurrency)], env)


def run_restage(args, env: dict, dsn: str, base_url: str, requests_before: int,
                owe_every_date: bool = False) -> tuple[float, int, list[dict]]:
    """Restage every landed date of the backfill from raw: wall seconds, API requests it
    made (the simulator's count before and after) and its stage timings. Nothing changed
    since the backfill, so only the transforms run; with `owe_every_date`, every date is
    first marked as owed a curated refresh, as a staging change on every date would."""
    with psycopg.connect(dsn) as conn:
        start, end = conn.execute("select min(partition_date), max(partition_date) from raw.mlb_schedule").fetchone()
        if owe_every_date:  # the mark a transform makes when it wrote staging rows
            for (day,) in conn.execute("select distinct official_date from staging.mlb_games").fetchall():
                queries.execute(conn, "curated_pending_mark", {"source": "mlb", "partition_date": day, "run_id": None,
                                                               "rows_written": 1, "check_result_ids": []})
    wall, _, _ = timed_cli(["run", "restage", "--start", start.isoformat(), "--end", end.isoformat(), "--wait",
                         "--concurrency", str(args.concurrency)], env)
    requests = sum(requests_served(base_url).values()) - requests_before
    return wall, requests, latest_run_stages(dsn)


def landed_payloads(dsn: str) -> list[tuple[int, date, bytes]]:
    with psycopg.connect(dsn) as conn:
        return [(int(pk), day, text.encode()) for pk, day, text in conn.execute(
            "select request_params ->> 'gamePk', partition_date, payload::text from raw.mlb_boxscore order by raw_id")]


# the plain COPY and the landing path are measured in turn this many times each, after a
# checkpoint: the one measured second no longer pays for the first one's dirty pages
LANDING_ROUNDS = 2


def checkpoint(dsn: str) -> None:
    """A checkpoint, where the role may ask for one."""
    with psycopg.connect(dsn, autocommit=True) as conn, contextlib.suppress(psycopg.errors.InsufficientPrivilege):
        conn.execute("checkpoint")


def raw_compression(dsn: str) -> str:
    """The TOAST compression raw.mlb_boxscore stores payloads with: `lz4` where migration
    0017 set it (the server has lz4), else the server's default (`pglz` unless set)."""
    with psycopg.connect(dsn) as conn:
        method, default = conn.execute(
            "select attcompression, current_setting('default_toast_compression') from pg_attribute"
            " where attrelid = 'raw.mlb_boxscore'::regclass and attname = 'payload'").fetchone()
    return {"l": "lz4", "p": "pglz"}.get(method, default)


def copy_baseline(dsn: str, payloads: list[tuple[int, date, bytes]], round_: int, compression: str,
                  binary: bool) -> float:
    """Plain COPY of the same payloads (as ready JSON text) into an empty logged table whose
    payload column is compressed as the raw table's is: in the text format (each payload
    escaped), or in the binary one written out by hand (jsonb's version byte, then the text)."""
    table = f"public.copy_baseline_{'binary' if binary else 'text'}_{round_}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"create table {table} (payload jsonb compression {compression})")
        checkpoint(dsn)
        started = time.perf_counter()
        with conn.cursor().copy(f"copy {table} (payload) from stdin{' (format binary)' if binary else ''}") as copy:
            if binary:
                for chunk in jsonb_copy_stream(payload for _, _, payload in payloads):
                    copy.write(chunk)
            else:
                for _, _, payload in payloads:
                    copy.write(payload.replace(b"\\", b"\\\\") + b"\n")
        return time.perf_counter() - started


def land_in_isolation(dsn: str, payloads: list[tuple[int, date, bytes]], round_: int, batch: int = 12) -> float:
    """The pipeline's landing path (land_responses) alone, one connection,
    a day's worth of box scores per call, into an empty raw table made as a new source's
    is (lz4 where the server has it, as raw.mlb_boxscore)."""
    table = f"bench_boxscore_{round_}"

    async def go() -> float:
        async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
            await conn.execute("select ops.create_raw_table_compressed(%s)", [table])
            days = [day for _, day, _ in payloads]
            await queries.execute_async(conn, "partition_ensure", {
                "table_name": table, "from_date": min(days), "to_date": max(days)})
            checkpoint(dsn)
            now = datetime.now(timezone.utc)
            responses = [ApiResponse(mlb.boxscore_request(pk, day), 200, body, now) for pk, day, body in payloads]
            started = time.perf_counter()
            for offset in range(0, len(responses), batch):
                await land_responses(conn, table, responses[offset:offset + batch], None)
            return time.perf_counter() - started

    return asyncio.run(go())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--season", type=int, default=2024)
    parser.add_argument("--start")
    parser.add_argument("--end")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--prerender", action="store_true",
                        help="render the simulator's answers before the clock starts")
    parser.add_argument("--restage", action="store_true",
                        help="then restage the same dates from raw (`run restage`): wall time, API requests; "
                             "then once more with every date owed a curated refresh")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="pipeline-bench-"))
    env = bench_env(home, PIPELINE_LOG_FORMAT="json",
                    PIPELINE_MLB_RATE_LIMIT="1000", PIPELINE_MLB_RATE_BURST="100")  # the simulator needs no politeness
    simulator = None
    try:
        dsn = cli(["db", "url"], env).strip()
        cli(["db", "migrate"], env)
        span = f"{args.start}:{args.end}" if args.start else f"{args.season}-03-01:{args.season}-11-30"
        simulator, base_url = start_simulator(env, "--season", str(args.season),
                                              *(["--prerender", span] if args.prerender else []))
        env["PIPELINE_MLB_BASE_URL"] = base_url
        meter = CpuMeter(dsn, simulator.pid)
        meter.start()
        wall, peak_kb, worker_cpu = run_backfill(args, env)
        cpu_used = meter.stop()
        requests = requests_served(base_url)
        stages = latest_run_stages(dsn)
        with psycopg.connect(dsn) as conn:
            counts = {table: conn.execute(f"select count(*) from {table}").fetchone()[0] for table in (
                "raw.mlb_schedule", "raw.mlb_boxscore", "staging.mlb_games", "staging.mlb_player_batting",
                "staging.mlb_player_pitching", "curated.mlb_fantasy_points_daily")}
            raw_bytes = int(conn.execute("select pg_total_relation_size('raw.mlb_boxscore') + coalesce(sum("
                                     "pg_total_relation_size(inhrelid)), 0) from pg_inherits where inhparent = "
                                     "'raw.mlb_boxscore'::regclass").fetchone()[0])
        restage = run_restage(args, env, dsn, base_url, sum(requests.values())) if args.restage else None
        restage_owed = (run_restage(args, env, dsn, base_url, sum(requests_served(base_url).values()),
                                    owe_every_date=True) if args.restage else None)
        payloads = landed_payloads(dsn)
        copy_bytes = sum(len(body) for _, _, body in payloads)
        compression = raw_compression(dsn)
        rounds = [(copy_baseline(dsn, payloads, round_, compression, binary=True),
                   land_in_isolation(dsn, payloads, round_),
                   copy_baseline(dsn, payloads, round_, compression, binary=False))
                  for round_ in range(1, LANDING_ROUNDS + 1)]
    finally:
        if simulator:
            simulator.terminate()
        subprocess.run([*CLI, "db", "stop", "--remove-data"], env=env, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)

    extract = next(s for s in stages if s["stage"] == "extract")
    landed_bytes, land_seconds = int(extract["bytes_landed"]), float(extract["land_seconds"])
    print(f"backfill {'season ' + str(args.season) if not args.start else args.start + '..' + args.end}, "
          f"worker concurrency {args.concurrency}")
    print(f"  wall time end to end: {wall:.1f} s; worker peak RSS: {peak_kb / 1024:.0f} MB")
    print(f"  API requests: {requests}, total {sum(requests.values())}")
    print(f"  {cpu_line(worker_cpu, cpu_used)}")
    print("  stage       jobs   wall s   job s   requests   MB landed   rows written")
    for s in stages:
        print(f"  {s['stage']:10} {s['jobs']:5} {float(s['wall_seconds']):8.1f} {float(s['job_seconds']):7.1f} "
              f"{s['requests']:10} {int(s['bytes_landed']) / 1e6:11.1f} {s['rows_written']:14}")
    for label, measured in (("restage of the same dates from raw", restage),
                            ("again, every date owed a curated refresh (as after a staging change on each)",
                             restage_owed)):
        if measured:
            restage_wall, restage_requests, restage_stages = measured
            print(f"  {label}: {restage_wall:.1f} s, {restage_requests} API requests; "
                  + ", ".join(f"{s['stage']} {float(s['wall_seconds']):.1f} s wall / "
                              f"{float(s['job_seconds']):.1f} job s" for s in restage_stages))
    print("  rows: " + ", ".join(f"{table} {count}" for table, count in counts.items()))
    print(f"  raw.mlb_boxscore on disk: {raw_bytes / 1e6:.1f} MB for {landed_bytes / 1e6:.1f} MB of JSON "
          f"({landed_bytes / max(raw_bytes, 1):.1f}x)")
    land_rate = landed_bytes / 1e6 / max(land_seconds, 1e-9)
    copy_rates = [copy_bytes / 1e6 / max(seconds, 1e-9) for seconds, _, _ in rounds]
    isolated_rates = [copy_bytes / 1e6 / max(seconds, 1e-9) for _, seconds, _ in rounds]
    text_rates = [copy_bytes / 1e6 / max(seconds, 1e-9) for _, _, seconds in rounds]
    copy_rate = max(copy_rates)
    print(f"  baseline: plain COPY (binary format) of the same payloads into an empty table (payloads compressed as "
          f"raw's: {compression}), {LANDING_ROUNDS} rounds in turn with the landing path, each after a checkpoint: "
          + ", ".join(f"{rate:.1f}" for rate in copy_rates) + " MB/s (in the text format: "
          + ", ".join(f"{rate:.1f}" for rate in text_rates) + " MB/s)")
    print("  landing path alone (mark repeated versions seen + COPY new ones into raw, one connection): "
          + ", ".join(f"{rate:.1f}" for rate in isolated_rates) + " MB/s = "
          + ", ".join(f"{landed / copied:.2f}" for landed, copied in zip(isolated_rates, copy_rates))
          + f" of the baseline in its round; best against best: {max(isolated_rates) / copy_rate:.2f}")
    print(f"  landing inside the backfill (per job, 4 jobs sharing 2 cores with the simulator): "
          f"{land_rate:.1f} MB/s = {land_rate / copy_rate:.2f} of baseline")


if __name__ == "__main__":
    main()
