"""Runs the procrastinate worker, as `pipeline worker` or inside `pipeline run ... --wait`;
imports every task module.

A worker killed with SIGKILL leaves its jobs in 'doing'. Every worker sends heartbeats;
a rescuer loop in each worker re-queues the jobs of workers whose heartbeat stopped, so a
run still finishes. The steps are idempotent, so a job that ran half-way may run again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import procrastinate
import psycopg
from procrastinate import exceptions as procrastinate_exceptions
from procrastinate.jobs import Status

# every task module, so that a worker knows every task
from pipeline.jobs import aggregate, alerting, extract, periodic, transform  # noqa: F401
from pipeline.errors import DatabaseUnreachable
from pipeline.jobs.app import QUEUE, Runtime, app

log = logging.getLogger(__name__)

# what a lost database raises in the in-process worker's loop
DATABASE_ERRORS = (psycopg.OperationalError, procrastinate_exceptions.ConnectorException, DatabaseUnreachable)

HEARTBEAT_SECONDS = 2.0
STALLED_AFTER_SECONDS = 15.0
RESCUE_EVERY_SECONDS = 5.0


async def rescue_stalled_jobs() -> int:
    """Re-queue the jobs of workers that stopped sending heartbeats; returns how many."""
    stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER_SECONDS)
    count = 0
    for job in stalled:
        try:
            await app.job_manager.retry_job(job)
        except (procrastinate_exceptions.UniqueViolation, procrastinate_exceptions.AlreadyEnqueued):
            # the same step was queued again meanwhile (a later run planned it): that job
            # does the work, and this one must end, or its partition lock blocks it forever
            await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=False)
            log.warning("ended a stalled job already queued again", extra={"stalled_job_id": job.id})
            continue
        count += 1
        log.warning("re-queued a stalled job", extra={"stalled_job_id": job.id, "task": job.task_name})
    return count


async def _rescue_forever() -> None:
    while True:
        try:
            await rescue_stalled_jobs()
        except Exception:  # a failed sweep must not stop the worker; the next one retries
            log.exception("stalled-job sweep failed")
        await asyncio.sleep(RESCUE_EVERY_SECONDS)


# an in-process or burst worker is left this long to start before it may be stopped
STARTUP_SECONDS = 1.0

# How often a worker looks for jobs without being told of one. A job queued while the job
# holding its lock still runs (a partition's transform, queued by its extract) is told of
# at once but cannot be taken yet, and its lock's release tells no one: the worker finds
# it at the next look. A long-running worker looks every second; an in-process one, which
# ends with its run, as often as it checks for the run's end (the last transform of a
# season waited a whole second, both cores idle).
FETCH_POLL_SECONDS = 1.0


@contextlib.asynccontextmanager
async def open_queue(dsn: str, pool_size: int = 4):
    """The App, connected to `dsn`, for deferring jobs or running a worker."""
    connector = procrastinate.PsycopgConnector(conninfo=dsn, min_size=1, max_size=pool_size)
    with app.replace_connector(connector):
        async with app.open_async():
            yield app


async def run_worker(
    runtime: Runtime,
    *,
    concurrency: int,
    until: Callable[[], Awaitable[bool]] | None = None,
    poll_seconds: float = 0.1,
    name: str = "pipeline-worker",
) -> None:
    """Run jobs until `until()` says stop (in-process mode) or until a signal (worker mode)."""
    runtime.pool_size = max(runtime.pool_size, concurrency)
    async with open_queue(runtime.dsn, pool_size=concurrency + 4):
        worker = asyncio.create_task(app.run_worker_async(
            queues=[QUEUE],
            concurrency=concurrency,
            name=name,
            wait=True,
            additional_context={"runtime": runtime},
            install_signal_handlers=until is None,
            update_heartbeat_interval=HEARTBEAT_SECONDS,
            stalled_worker_timeout=STALLED_AFTER_SECONDS,
            fetch_job_polling_interval=FETCH_POLL_SECONDS if until is None else poll_seconds,
            listen_notify=True,
        ))
        rescuer = asyncio.create_task(_rescue_forever())
        lost = False
        try:
            if until is None:
                await worker
            else:
                # not in its first second: a cancellation that lands while procrastinate's
                # worker is still starting can be swallowed, and the worker then waits for
                # a stop that never comes (seen: a burst worker on an empty queue, about 1
                # run in 50 under load)
                await asyncio.wait({worker}, timeout=STARTUP_SECONDS)
                while not worker.done() and not await until():
                    await asyncio.sleep(poll_seconds)
                if worker.done():
                    worker.result()  # surface a crashed worker
        except DATABASE_ERRORS:
            # the database went away: close the pool first, so jobs waiting for one of its
            # connections fail at once instead of holding the shutdown for the pool timeout;
            # what the dying worker raises then must not mask the cause
            lost = True
            with contextlib.suppress(Exception):
                await app.connector.close_async()
            raise
        finally:
            rescuer.cancel()
            worker.cancel()
            ending = (asyncio.CancelledError, Exception) if lost else (asyncio.CancelledError,)
            with contextlib.suppress(*ending):
                await worker
            with contextlib.suppress(*ending):
                await rescuer
            await runtime.aclose()
