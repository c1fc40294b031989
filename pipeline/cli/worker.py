"""`pipeline worker`: run queued jobs of any run."""

from __future__ import annotations

import asyncio
import logging
import os

import click

from pipeline import db, queries
from pipeline.cli.options import CONCURRENCY, migrated
from pipeline.config import load_settings
from pipeline.jobs.app import QUEUE, app
from pipeline.jobs.worker import run_worker
from pipeline.observe.http_metrics import serve_worker_metrics
from pipeline.runs.runtime import worker_runtime

log = logging.getLogger("pipeline.worker")


@click.command("worker")
@click.option("--concurrency", type=CONCURRENCY, default=None, help="Jobs at once (default PIPELINE_WORKER_CONCURRENCY or 4).")
@click.option("--burst", is_flag=True, help="Exit once the queue is empty instead of waiting for more jobs.")
@click.option("--metrics-port", type=click.IntRange(0, 65535), default=None,
              help="Serve this worker's HTTP request metrics on 127.0.0.1:PORT/metrics (0: any free port).")
@migrated
def worker(dsn: str, concurrency: int | None, burst: bool, metrics_port: int | None) -> None:
    """Run queued jobs of any run until stopped (Ctrl-C or SIGTERM finishes jobs in hand).
    Logs a line when it starts (database, queue, concurrency, the tasks it serves) and
    when it stops (and why).

    Example: pipeline worker --concurrency 4 --metrics-port 8002
    """
    settings = load_settings()
    if metrics_port is not None:
        port = serve_worker_metrics(metrics_port)
        click.echo(f"worker metrics on http://127.0.0.1:{port}/metrics")

    async def main_loop() -> None:
        until = None
        if burst:
            conn = await db.connect_async(dsn, autocommit=True)

            async def until() -> bool:
                cursor = await queries.execute_async(conn, "queue_open_jobs", {"queue": QUEUE})
                return (await cursor.fetchone())[0] == 0

        await run_worker(worker_runtime(dsn, settings), concurrency=jobs_at_once, until=until)

    jobs_at_once = concurrency or settings.worker_concurrency
    tasks = sorted(name for name in app.tasks if name.startswith("pipeline."))
    log.info("worker started", extra={"pid": os.getpid(), "database": db.describe(dsn), "queue": QUEUE,
                                      "concurrency": jobs_at_once, "burst": burst, "tasks": ",".join(tasks)})
    reason = "the queue is empty" if burst else "asked to stop"
    try:
        asyncio.run(main_loop())
    except KeyboardInterrupt:
        reason = "interrupted"
    except BaseException as exc:
        log.error("worker stopped", extra={"pid": os.getpid(), "reason": f"{type(exc).__name__}: {exc}"})
        raise
    log.info("worker stopped", extra={"pid": os.getpid(), "reason": reason})


COMMANDS = [worker]
