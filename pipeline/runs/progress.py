"""Shows a run's progress (partitions done / total, rate, ETA) while it runs in-process."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

from pipeline import queries
from pipeline.db import connect_async
from pipeline.jobs.app import Runtime
from pipeline.jobs.worker import run_worker


@dataclass
class RunProgress:
    status: str
    message: str | None
    planned: int
    skipped: int
    done: int
    failed: int
    pending: int

    @property
    def to_do(self) -> int:
        return self.planned - self.skipped


async def read_progress(conn, run_id: int) -> RunProgress:
    cursor = await queries.execute_async(conn, "run_progress", {"run_id": run_id})
    status, _, _, message, planned, skipped, done, failed, pending = await cursor.fetchone()
    return RunProgress(status, message, planned, skipped, done - skipped, failed, pending)


def progress_line(run_id: int, progress: RunProgress, elapsed: float) -> str:
    finished = progress.done + progress.failed
    rate = finished / elapsed if elapsed > 0 else 0.0
    eta = f"{(progress.to_do - finished) / rate:.0f}s" if rate > 0 and progress.status == "running" else "-"
    return (
        f"run {run_id}: {finished}/{progress.to_do} partitions "
        f"({progress.failed} failed, {progress.skipped} already done) "
        f"{rate:.1f}/s ETA {eta}"
    )


async def run_and_wait(runtime: Runtime, run_id: int, *, concurrency: int, stream=None) -> RunProgress:
    """Work the queue in this process until the run ends; returns its final progress."""
    stream = stream or sys.stderr
    interactive = stream.isatty()
    started = time.monotonic()
    last_line, last_print = "", 0.0
    async with await connect_async(runtime.dsn, autocommit=True) as conn:
        latest: RunProgress | None = None

        async def finished() -> bool:
            nonlocal latest, last_line, last_print
            latest = await read_progress(conn, run_id)
            line = progress_line(run_id, latest, time.monotonic() - started)
            now = time.monotonic()
            if line != last_line and (interactive or now - last_print >= 2 or latest.status != "running"):
                stream.write(f"\r{line}\033[K" if interactive else f"{line}\n")
                stream.flush()
                last_line, last_print = line, now
            return latest.status != "running"

        await run_worker(runtime, concurrency=concurrency, until=finished)
        if interactive:
            stream.write("\n")
        return latest
