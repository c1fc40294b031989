"""`pipeline demo` / `make demo`: the whole pipeline on the embedded default, no network:
the MLB source against its simulator.

Starts the simulator as a real HTTP server in a child process, backfills through the real
worker in this process, and prints what was loaded and how long each stage took.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
from datetime import date

import click

from pipeline import db, migrate, report, sources
from pipeline.config import load_settings
from pipeline.errors import PipelineError
from pipeline.runs.backfill import plan_backfill
from pipeline.runs.progress import run_and_wait
from pipeline.runs.runtime import worker_runtime


def start_simulator(seed: int, season: int) -> tuple[subprocess.Popen, str]:
    """The simulator on a free port; returns the process and its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "simulate", "serve", "--port", "0",
         "--seed", str(seed), "--season", str(season)],
        stdout=subprocess.PIPE, text=True,
    )
    line = process.stdout.readline().strip()
    if not line.startswith("simulator listening on "):
        process.kill()
        raise PipelineError(f"the simulator did not start (it printed {line!r})")
    return process, line.rsplit(" ", 1)[-1]


def run_demo(start: date, end: date, *, seed: int = 0, concurrency: int | None = None) -> None:
    settings = load_settings()
    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        # one log line per job would bury the progress line and the summary (--verbose shows them)
        logging.getLogger("pipeline.jobs").setLevel(logging.WARNING)
    stages: list[tuple[str, float]] = []
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        stages.append((name, now - clock))
        clock = now

    dsn = db.database_url(settings)
    lap(f"database ready ({'DATABASE_URL' if settings.database_url else 'embedded, data under ' + str(db.embedded_data_dir(settings))})")
    with db.connect(dsn) as conn:
        migrate.migrate(conn)
    lap("migrations applied")
    simulator, base_url = start_simulator(seed, start.year)
    try:
        os.environ["PIPELINE_MLB_BASE_URL"] = base_url
        # the local simulator needs no politeness; the shared limiter stays on, just wide
        os.environ.setdefault("PIPELINE_MLB_RATE_LIMIT", "500")
        lap(f"simulator listening on {base_url}")
        source = sources.get("mlb")  # the source the simulator stands in for
        planned = asyncio.run(plan_backfill(dsn, source, start, end))
        click.echo(f"run {planned.run_id}: backfill {start}..{end}: {planned.planned} partitions, "
                   f"{planned.skipped} already done, {planned.queued} queued")
        lap("run planned, jobs queued")
        progress = asyncio.run(run_and_wait(worker_runtime(dsn, load_settings()), planned.run_id,
                                            concurrency=concurrency or settings.worker_concurrency))
        lap("extract + transform + aggregate (worker)")
    finally:
        simulator.terminate()
        simulator.wait(timeout=10)
    with db.connect(dsn) as conn:
        click.echo("")
        click.echo(report.summary_report(conn, source, planned.run_id))
    click.echo("")
    click.echo("Demo timings")
    click.echo(report.table(["step", "seconds"], [(name, f"{seconds:.2f}") for name, seconds in stages]))
    if progress.status != "succeeded":
        raise PipelineError(f"run {planned.run_id} {progress.status}: {progress.message}")
