"""The transform task: stage one extracted partition and check it, in one transaction,
then say what landed: `done` only when every item landed, none of its answers is
quarantined and no error-severity check blocks the date; else `partial`, which a plain
backfill, `run retry` and `dlq replay` pick up again without --force."""

from __future__ import annotations

from pipeline import sources
from pipeline.jobs.app import JOB_RETRY, QUEUE, app, runtime_of
from pipeline.jobs.step import (finish_ready_runs, job_step, landed_status, partition_of, read_checkpoint,
                                set_checkpoint)
from pipeline.stage import stage_partition

TRANSFORM_TASK = "pipeline.transform"


@app.task(name=TRANSFORM_TASK, pass_context=True, retry=JOB_RETRY, queue=QUEUE)
async def transform_partition(context, run_id: int, source: str, endpoint: str, partition_key: str,
                              force: bool = False) -> None:
    """Run the staging SQL and quality checks of one partition and mark it done."""
    partition = partition_of(source, endpoint, partition_key)
    src = sources.get(source)
    async with runtime_of(context).connection() as conn:
        async with job_step(context, conn, "transform", run_id, partition, source) as counters:
            async with conn.transaction():
                counters.rows_written += await stage_partition(conn, src, endpoint, partition.key, run_id)
                _, _, items_failed = await read_checkpoint(conn, partition) or (None, 0, 0)
                status = await landed_status(conn, src, partition, run_id, items_failed)
                await set_checkpoint(conn, partition, status, run_id)
        await finish_ready_runs(conn, source)
