"""What every task does around its work: the job step (job log, failure handling), the
partition checkpoints, deferring a partition's next step, and closing runs whose
partitions have all ended (by queueing their aggregate)."""

from __future__ import annotations

import contextlib
import logging
import time
from datetime import date, datetime, timezone

import procrastinate
import psycopg
from procrastinate import exceptions as procrastinate_exceptions

from pipeline import logs, queries, sqlfiles
from pipeline.breaker import SourceUnavailable
from pipeline.extract import StepCounters
from pipeline.jobs.app import JOB_RETRY, QUEUE, app
from pipeline.partition import Partition
from pipeline.sources import Source

log = logging.getLogger(__name__)

AGGREGATE_TASK = "pipeline.aggregate"

# Jobs with a higher priority are fetched first: a partition's transform and a run's
# aggregate go ahead of the extracts still queued, so partitions finish (and progress is
# true) as the run goes, instead of every transform waiting behind every extract.
PRIORITIES = {
    AGGREGATE_TASK: 30,
    "pipeline.transform": 20,
    "pipeline.extract_window": 10,
    "pipeline.extract": 0,
}


def partition_of(source: str, endpoint: str, partition_key: str) -> Partition:
    return Partition(source, endpoint, date.fromisoformat(partition_key))


async def _is_last_attempt(context: procrastinate.JobContext, conn, error: Exception) -> bool:
    """Whether procrastinate will give up on the job after this failure. Earlier runs that
    met an open breaker do not count (see pipeline.jobs.retry); the count travels on the error."""
    try:
        cursor = await queries.execute_async(conn, "job_breaker_waits", {"job_id": context.job.id})
        earlier = (await cursor.fetchone())[0]
    except psycopg.Error:  # the failure may be the connection itself: count no waits
        earlier = 0
    error.breaker_waits = earlier + isinstance(error, SourceUnavailable)
    return JOB_RETRY.retry_in(error, context.job.attempts) is None


@contextlib.asynccontextmanager
async def job_step(context, conn, stage: str, run_id: int, partition: Partition | None, source: str):
    """Logs the step in ops.job_log; on the last failed attempt marks the partition failed
    (or, for a step of the whole run, the run)."""
    logs.run_id_var.set(run_id)
    logs.job_id_var.set(context.job.id)
    logs.source_var.set(source)
    logs.partition_var.set(partition and partition.key.isoformat())
    started = datetime.now(timezone.utc)
    clock = time.perf_counter()
    counters = StepCounters()
    timings = sqlfiles.SqlTimings()
    sqlfiles.timings_var.set(timings)
    status, error = "succeeded", None
    await queries.execute_async(conn, "run_set_context", {"run_id": run_id})  # for ops.change_log
    try:
        yield counters
    except Exception as exc:
        status, error = "failed", f"{type(exc).__name__}: {exc}"
        if isinstance(exc, SourceUnavailable):  # not a failure: the job sits out the cool-down
            log.info("%s waits for the breaker", stage, extra={"partition": partition and partition.lock,
                                                               "retry_in": round(exc.wait_seconds, 1)})
        else:
            log.error("%s failed", stage, exc_info=exc, extra={
                "partition": partition and partition.lock, "error": error, "error_type": type(exc).__name__})
        if await _is_last_attempt(context, conn, exc):
            if partition is not None:
                await set_checkpoint(conn, partition, "failed", run_id, error=error)
                await finish_ready_runs(conn, source)
            else:  # the run's own step gave up: the run ends failed, not hangs
                await queries.execute_async(conn, "run_fail", {"run_id": run_id, "message": error})
        raise
    finally:
        await queries.execute_async(conn, "job_log_write", {
            "run_id": run_id,
            "job_id": context.job.id,
            "stage": stage,
            "source": source,
            "endpoint": partition and partition.endpoint,
            "partition_key": partition and partition.key,
            "started_at": started,
            "status": status,
            "requests": counters.requests,
            "bytes_landed": counters.bytes_landed,
            "land_seconds": round(counters.land_seconds, 3),
            "versions_added": counters.versions_added,
            "rows_written": counters.rows_written,
            "error": error,
        })
        await _record_timings(conn, run_id, context.job.id, stage, timings)
    log.info(
        "%s done",
        stage,
        extra={"partition": partition and partition.lock, "seconds": round(time.perf_counter() - clock, 3),
               "requests": counters.requests, "rows_written": counters.rows_written},
    )


async def _record_timings(conn, run_id: int, job_id: int, stage: str, timings: sqlfiles.SqlTimings) -> None:
    """Time per SQL file of this job, for `pipeline status --slow`."""
    if not timings.by_name:
        return
    names = sorted(timings.by_name)
    await queries.execute_async(conn, "sql_timing_record", {
        "run_id": run_id, "job_id": job_id, "stage": stage, "names": names,
        "executions": [int(timings.by_name[name][0]) for name in names],
        "seconds": [timings.by_name[name][1] for name in names],
        "max_seconds": [timings.by_name[name][2] for name in names],
    })


async def set_checkpoint(conn, partition: Partition, status: str, run_id: int, *, items_total=None,
                         items_failed=None, error=None) -> None:
    await queries.execute_async(conn, "checkpoint_update", {
        "source": partition.source,
        "endpoint": partition.endpoint,
        "partition_key": partition.key,
        "status": status,
        "run_id": run_id,
        "items_total": items_total,
        "items_failed": items_failed,
        "error": error,
    })


async def landed_status(conn, source: Source, partition: Partition, run_id: int, items_failed: int) -> str:
    """`done`, or `partial` when an item failed, an answer of the partition is quarantined
    (each such request keeps an open dead letter, resolved once a good version is in), or
    a failed error-severity check blocks the date from curated."""
    quarantined = 0
    for table, endpoint in source.table_endpoints.items():
        if endpoint != partition.endpoint:
            continue
        cursor = await queries.execute_async(conn, "quarantine_letters_sync", {
            "source": source.name, "table_name": table, "endpoint": table.removeprefix(f"{source.name}_"),
            "partition_date": partition.key, "run_id": run_id,
        }, table=table)
        quarantined += (await cursor.fetchone())[0]
    cursor = await queries.execute_async(conn, "quality_partition_blocked", {
        "source": source.name, "partition_key": partition.key})
    (blocked,) = await cursor.fetchone()
    if items_failed or quarantined or blocked:
        log.info("partition partial", extra={"partition": partition.lock, "items_failed": items_failed,
                                             "requests_quarantined": quarantined, "quality_blocked": blocked})
        return "partial"
    return "done"


async def read_checkpoint(conn, partition: Partition) -> tuple[str, int, int] | None:
    """(status, items_total, items_failed) of a partition, None when it has none."""
    cursor = await queries.execute_async(conn, "checkpoint_status", {
        "source": partition.source, "endpoint": partition.endpoint, "partition_key": partition.key,
    })
    return await cursor.fetchone()


def _step_deferrer(task_name: str, partition: Partition):
    # the lock runs the jobs of one partition one at a time, whichever run queued them
    return app.configure_task(task_name, queue=QUEUE, queueing_lock=f"{task_name}:{partition.lock}",
                              lock=partition.lock, priority=PRIORITIES.get(task_name, 0))


def _step_arguments(partition: Partition, run_id: int, force: bool, extra: dict) -> dict:
    return {"run_id": run_id, "source": partition.source, "endpoint": partition.endpoint,
            "partition_key": partition.key.isoformat(), "force": force, **extra}


async def defer_step(task_name: str, partition: Partition, run_id: int, force: bool, **extra) -> bool:
    """Queue one step (a task, by name) of a partition; False when it is already queued.
    `extra`: more arguments of the task (an extract's base_url)."""
    try:
        await _step_deferrer(task_name, partition).defer_async(**_step_arguments(partition, run_id, force, extra))
    except procrastinate_exceptions.AlreadyEnqueued:
        return False
    return True


async def defer_steps(task_name: str, partitions: list[Partition], run_id: int, force: bool, **extra) -> int:
    """Queue one step of each partition, all in one statement (a season's 206 jobs one by
    one took 1.2 s, while the worker waited to start); how many were queued. When one of
    them is queued already (by another run), the statement queues none, and each goes on
    its own as `defer_step` does, so those already queued are skipped."""
    if not partitions:
        return 0
    jobs = [_step_deferrer(task_name, partition).make_new_job(**_step_arguments(partition, run_id, force, extra))
            for partition in partitions]
    try:
        await app.job_manager.batch_defer_jobs_async(jobs)
    except procrastinate_exceptions.AlreadyEnqueued:
        return sum([await defer_step(task_name, partition, run_id, force, **extra) for partition in partitions])
    return len(jobs)


async def finish_ready_runs(conn, source: str | None = None) -> None:
    """Queue the aggregate step of every run whose partitions have all ended."""
    cursor = await queries.execute_async(conn, "run_ready_to_finish", {"source": source})
    for run_id, run_source in await cursor.fetchall():
        with contextlib.suppress(procrastinate_exceptions.AlreadyEnqueued):
            await app.configure_task(AGGREGATE_TASK, queue=QUEUE, queueing_lock=f"{AGGREGATE_TASK}:{run_id}",
                                     lock=f"curated:{run_source}",
                                     priority=PRIORITIES[AGGREGATE_TASK]).defer_async(run_id=run_id, source=run_source)
