"""The procrastinate App and the pipeline's tasks: extract → transform → aggregate.

A job is one partition (a date, a season), never one record. Each task is thin: it runs
one extractor or the SQL files of one step, records what happened, and defers the next
step. Queueing locks keep a partition from being queued twice.
"""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import httpx
import procrastinate
import psycopg
from procrastinate import exceptions as procrastinate_exceptions

from pipeline import logs, quality, sources, sqlfiles
from pipeline.breaker import SourceUnavailable
from pipeline.config import Settings
from pipeline.db import SharedConnection, connect_async
from pipeline.extract import ExtractContext, StepCounters
from pipeline.http import Fetcher, fetcher_for
from pipeline.retry import PipelineRetry
from pipeline.sources import Partition

log = logging.getLogger(__name__)

app = procrastinate.App(connector=procrastinate.PsycopgConnector())

JOB_RETRY = PipelineRetry()
QUEUE = "pipeline"


@dataclass
class Runtime:
    """What tasks share inside one worker process (passed as procrastinate context)."""

    dsn: str
    settings: Settings
    transport: httpx.AsyncBaseTransport | None = None
    _fetchers: dict[str, Fetcher] = field(default_factory=dict)
    _state: SharedConnection | None = None

    def fetcher(self, source: sources.Source) -> Fetcher:
        if source.name not in self._fetchers:
            # rate-limit and breaker statements share one connection per worker process
            self._state = self._state or SharedConnection(self.dsn)
            self._fetchers[source.name] = fetcher_for(source, self.settings, self._state, self.transport)
        return self._fetchers[source.name]

    async def aclose(self) -> None:
        for fetcher in self._fetchers.values():
            await fetcher.aclose()
        self._fetchers.clear()
        if self._state is not None:
            await self._state.aclose()
            self._state = None


def _runtime(context: procrastinate.JobContext) -> Runtime:
    return context.additional_context["runtime"]


async def _is_last_attempt(context: procrastinate.JobContext, conn, error: Exception) -> bool:
    """Whether procrastinate will give up on the job after this failure. Earlier runs that
    met an open breaker do not count (see pipeline.retry); the count travels on the error."""
    try:
        cursor = await sqlfiles.execute_async(conn, "ops/job_breaker_waits", {"job_id": context.job.id})
        earlier = (await cursor.fetchone())[0]
    except psycopg.Error:  # the failure may be the connection itself: count no waits
        earlier = 0
    error.breaker_waits = earlier + isinstance(error, SourceUnavailable)
    return JOB_RETRY.retry_in(error, context.job.attempts) is None


@contextlib.asynccontextmanager
async def job_step(context, conn, stage: str, run_id: int, partition: Partition | None, source: str):
    """Logs the step in ops.job_log; on the last failed attempt marks the partition failed."""
    logs.run_id_var.set(run_id)
    logs.job_id_var.set(context.job.id)
    started = datetime.now(timezone.utc)
    clock = time.perf_counter()
    counters = StepCounters()
    status, error = "succeeded", None
    await sqlfiles.execute_async(conn, "ops/set_run_context", {"run_id": run_id})  # for ops.change_log
    try:
        yield counters
    except Exception as exc:
        status, error = "failed", f"{type(exc).__name__}: {exc}"
        if isinstance(exc, SourceUnavailable):  # not a failure: the job sits out the cool-down
            log.info("%s waits for the breaker", stage, extra={"partition": partition and partition.lock,
                                                               "retry_in": round(exc.wait_seconds, 1)})
        else:
            log.error("%s failed", stage, extra={"partition": partition and partition.lock, "error": error})
        if await _is_last_attempt(context, conn, exc):
            if partition is not None:
                await _set_checkpoint(conn, partition, "failed", run_id, error=error)
                await finish_ready_runs(conn, source)
            else:  # the run's own step (aggregate) gave up: the run ends failed, not hangs
                await sqlfiles.execute_async(conn, "ops/fail_run", {"run_id": run_id, "message": error})
        raise
    finally:
        await sqlfiles.execute_async(conn, "ops/log_job", {
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
    log.info(
        "%s done",
        stage,
        extra={"partition": partition and partition.lock, "seconds": round(time.perf_counter() - clock, 3),
               "requests": counters.requests, "rows_written": counters.rows_written},
    )


async def _set_checkpoint(conn, partition: Partition, status: str, run_id: int, *, items_total=None,
                          items_failed=None, error=None) -> None:
    await sqlfiles.execute_async(conn, "ops/checkpoint_update", {
        "source": partition.source,
        "endpoint": partition.endpoint,
        "partition_key": partition.key,
        "status": status,
        "run_id": run_id,
        "items_total": items_total,
        "items_failed": items_failed,
        "error": error,
    })


async def _checkpoint(conn, partition: Partition) -> tuple[str, int, int] | None:
    cursor = await sqlfiles.execute_async(conn, "ops/checkpoint_status", {
        "source": partition.source, "endpoint": partition.endpoint, "partition_key": partition.key,
    })
    return await cursor.fetchone()


async def defer_partition(task, partition: Partition, run_id: int, force: bool) -> bool:
    """Queue one step of a partition; False when the same step is already queued."""
    try:
        # the lock runs the jobs of one partition one at a time, whichever run queued them
        await task.configure(queueing_lock=f"{task.name}:{partition.lock}", lock=partition.lock).defer_async(
            run_id=run_id, source=partition.source, endpoint=partition.endpoint,
            partition_key=partition.key.isoformat(), force=force,
        )
    except procrastinate_exceptions.AlreadyEnqueued:
        return False
    return True


async def finish_ready_runs(conn, source: str | None = None) -> None:
    """Queue the aggregate step of every run whose partitions have all ended."""
    cursor = await sqlfiles.execute_async(conn, "ops/runs_ready_to_finish", {"source": source})
    for run_id, run_source in await cursor.fetchall():
        with contextlib.suppress(procrastinate_exceptions.AlreadyEnqueued):
            await aggregate_run.configure(
                queueing_lock=f"pipeline.aggregate:{run_id}", lock=f"curated:{run_source}"
            ).defer_async(run_id=run_id, source=run_source)


@app.task(name="pipeline.extract", pass_context=True, retry=JOB_RETRY, queue=QUEUE)
async def extract_partition(context, run_id: int, source: str, endpoint: str, partition_key: str,
                            force: bool = False) -> None:
    """Fetch and land one partition, then queue its transform."""
    partition = Partition(source, endpoint, date.fromisoformat(partition_key))
    runtime = _runtime(context)
    src = sources.get(source)
    async with await connect_async(runtime.dsn, autocommit=True) as conn:
        async with job_step(context, conn, "extract", run_id, partition, source) as counters:
            checkpoint = await _checkpoint(conn, partition)
            if checkpoint and checkpoint[0] == "done" and not force:
                await finish_ready_runs(conn, source)  # done by another run meanwhile
                return
            ctx = ExtractContext(conn, runtime.fetcher(src), partition, run_id, force)
            await src.extract(partition, ctx)
            counters.__dict__.update(ctx.counters.__dict__)
            await _set_checkpoint(conn, partition, "extracted", run_id,
                                  items_total=ctx.counters.items_total, items_failed=ctx.counters.items_failed)
        await defer_partition(transform_partition, partition, run_id, force)


@app.task(name="pipeline.transform", pass_context=True, retry=JOB_RETRY, queue=QUEUE)
async def transform_partition(context, run_id: int, source: str, endpoint: str, partition_key: str,
                              force: bool = False) -> None:
    """Run the staging SQL of one partition and mark it done, in one transaction."""
    partition = Partition(source, endpoint, date.fromisoformat(partition_key))
    src = sources.get(source)
    async with await connect_async(_runtime(context).dsn, autocommit=True) as conn:
        async with job_step(context, conn, "transform", run_id, partition, source) as counters:
            async with conn.transaction():
                await quality.validate_raw(conn, src, endpoint, partition.key)
                for name in src.transforms[endpoint]:
                    cursor = await sqlfiles.execute_async(conn, name, {"partition_date": partition.key})
                    counters.rows_written += await sqlfiles.rows_written(cursor)
                # the quality gate: results recorded; a failed error check keeps the date out of curated
                await quality.check_partition(conn, src, endpoint, partition.key, run_id)
                _, _, items_failed = await _checkpoint(conn, partition) or (None, 0, 0)
                await _set_checkpoint(conn, partition, "partial" if items_failed else "done", run_id)
        await finish_ready_runs(conn, source)


@app.task(name="pipeline.aggregate", pass_context=True, retry=JOB_RETRY, queue=QUEUE)
async def aggregate_run(context, run_id: int, source: str) -> None:
    """Recompute the curated rows of the dates and seasons a run touched, close the run."""
    src = sources.get(source)
    async with await connect_async(_runtime(context).dsn, autocommit=True) as conn:
        async with job_step(context, conn, "aggregate", run_id, None, source) as counters:
            async with conn.transaction():
                cursor = await sqlfiles.execute_async(conn, "ops/run_scope", {"run_id": run_id})
                dates, seasons = await cursor.fetchone()
                if dates or seasons:
                    for name in src.curated:
                        cursor = await sqlfiles.execute_async(conn, name, {"dates": dates, "seasons": seasons})
                        counters.rows_written += await sqlfiles.rows_written(cursor)
                cursor = await sqlfiles.execute_async(conn, "ops/finish_run", {"run_id": run_id})
                outcome = await cursor.fetchone()
                await sqlfiles.execute_async(conn, "ops/quality_mark_run", {"run_id": run_id})
                # same transaction: the watermark moves only if the whole run committed
                await sqlfiles.execute_async(conn, "ops/advance_watermark", {"run_id": run_id})
    if outcome:
        log.info("run finished", extra={"status": outcome[0], "detail": outcome[1]})


@app.periodic(cron="17 3 * * *", periodic_id="partitions")
@app.task(name="pipeline.maintain_partitions", pass_context=True, queue=QUEUE,
          queueing_lock="pipeline.maintain_partitions")
async def maintain_partitions(context, timestamp: int) -> None:
    """Daily: premake raw partitions, drain the defaults, compact versions past retention.
    Its own periodic task (procrastinate defers it once per tick, whatever the workers)."""
    from pipeline import archive, partitions

    async with await connect_async(_runtime(context).dsn, autocommit=True) as conn:
        day = datetime.fromtimestamp(timestamp, timezone.utc).date()
        report = await partitions.maintain(conn, today=day, retention_days=archive.retention_days())
    log.info("partitions maintained", extra={"created": report.partitions_created, "drained": report.rows_drained,
                                             "compacted": report.versions_compacted})
