"""The extract tasks: fetch and land one partition (backfill, replay, retry), or a whole
window of dates in one job (incremental, lookback); then queue each partition's transform."""

from __future__ import annotations

from datetime import date

from pipeline import sources
from pipeline.extract import ExtractContext
from pipeline.jobs.app import JOB_RETRY, QUEUE, app, runtime_of
from pipeline.jobs.step import (defer_step, defer_steps, finish_ready_runs, job_step, partition_of, read_checkpoint,
                                set_checkpoint)
from pipeline.jobs.transform import TRANSFORM_TASK
from pipeline.partition import Partition

EXTRACT_TASK = "pipeline.extract"
EXTRACT_WINDOW_TASK = "pipeline.extract_window"


@app.task(name=EXTRACT_TASK, pass_context=True, retry=JOB_RETRY, queue=QUEUE)
async def extract_partition(context, run_id: int, source: str, endpoint: str, partition_key: str,
                            force: bool = False, base_url: str | None = None) -> None:
    """Fetch and land one partition (from the base URL its run was planned with), then
    queue its transform."""
    partition = partition_of(source, endpoint, partition_key)
    runtime = runtime_of(context)
    src = sources.get(source)
    async with runtime.connection() as conn:
        async with job_step(context, conn, "extract", run_id, partition, source) as counters:
            checkpoint = await read_checkpoint(conn, partition)
            if checkpoint and checkpoint[0] == "done" and not force:
                await finish_ready_runs(conn, source)  # done by another run meanwhile
                return
            ctx = ExtractContext(conn, runtime.fetcher(src, base_url), partition, run_id, force)
            await src.extract(partition, ctx)
            counters.__dict__.update(ctx.counters.__dict__)
            await set_checkpoint(conn, partition, "extracted", run_id,
                                 items_total=ctx.counters.items_total, items_failed=ctx.counters.items_failed)
        await defer_step(TRANSFORM_TASK, partition, run_id, force)


@app.task(name=EXTRACT_WINDOW_TASK, pass_context=True, retry=JOB_RETRY, queue=QUEUE)
async def extract_window(context, run_id: int, source: str, mode: str, start_date: str, end_date: str,
                         base_url: str | None = None) -> None:
    """Fetch and land a window of dates, mark each date extracted, queue its transform."""
    start, end = date.fromisoformat(start_date), date.fromisoformat(end_date)
    runtime = runtime_of(context)
    src = sources.get(source)
    first = Partition(source, src.window_endpoint, start)
    async with runtime.connection() as conn:
        # No partition on the step: if the window job gives up, the run ends failed (and
        # its watermark stays where it was) instead of waiting for dates never extracted.
        async with job_step(context, conn, "extract", run_id, None, source) as counters:
            ctx = ExtractContext(conn, runtime.fetcher(src, base_url), first, run_id, False)
            items = await src.extract_window(start, end, mode, ctx)
            counters.__dict__.update(ctx.counters.__dict__)
            for day, (total, failed) in items.items():
                await set_checkpoint(conn, Partition(source, src.window_endpoint, day), "extracted", run_id,
                                     items_total=total, items_failed=failed)
        await defer_steps(TRANSFORM_TASK, [Partition(source, src.window_endpoint, day) for day in items], run_id, False)
