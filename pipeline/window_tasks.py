"""The task behind incremental and lookback runs: one job extracts a whole window of dates
(one schedule request, then only the box scores that need it) and queues the usual
per-date transforms; the run's aggregate then refreshes the curated rows that changed."""

from __future__ import annotations

from datetime import date

from pipeline import sources
from pipeline.db import connect_async
from pipeline.extract import ExtractContext
from pipeline.sources import Partition
from pipeline.tasks import (JOB_RETRY, QUEUE, _runtime, _set_checkpoint, app, defer_partition, job_step,
                            transform_partition)


@app.task(name="pipeline.extract_window", pass_context=True, retry=JOB_RETRY, queue=QUEUE)
async def extract_window(context, run_id: int, source: str, mode: str, start_date: str, end_date: str) -> None:
    """Fetch and land a window of dates, mark each date extracted, queue its transform."""
    start, end = date.fromisoformat(start_date), date.fromisoformat(end_date)
    runtime = _runtime(context)
    src = sources.get(source)
    first = Partition(source, "games", start)
    async with await connect_async(runtime.dsn, autocommit=True) as conn:
        # No partition on the step: if the window job gives up, the run ends failed (and
        # its watermark stays where it was) instead of waiting for dates never extracted.
        async with job_step(context, conn, "extract", run_id, None, source) as counters:
            ctx = ExtractContext(conn, runtime.fetcher(src), first, run_id, False)
            items = await src.extract_window(start, end, mode, ctx)
            counters.__dict__.update(ctx.counters.__dict__)
            for day, (total, failed) in items.items():
                await _set_checkpoint(conn, Partition(source, "games", day), "extracted", run_id,
                                      items_total=total, items_failed=failed)
        for day in items:
            await defer_partition(transform_partition, Partition(source, "games", day), run_id, False)
