"""The aggregate task: once every partition of a run has ended, refresh the curated rows
of the dates and seasons it touched (pipeline.curate: in lanes) and close the run."""

from __future__ import annotations

import logging

from pipeline import features, logs, queries, sources
from pipeline.curate import refresh_curated_in_lanes
from pipeline.db import connect_async
from pipeline.jobs.app import JOB_RETRY, QUEUE, app, runtime_of
from pipeline.jobs.step import AGGREGATE_TASK, job_step

log = logging.getLogger(__name__)


@app.task(name=AGGREGATE_TASK, pass_context=True, retry=JOB_RETRY, queue=QUEUE)
async def aggregate_run(context, run_id: int, source: str) -> None:
    """Recompute the curated rows of the dates and seasons a run touched, and of the dates
    owed a refresh (ops.curated_pending), in lanes, each a transaction, and check the
    feature rows on the lanes' connections; then record the checks, clear the marks it
    covered and close the run in one transaction: the run ends, and its watermark moves,
    only once every lane has committed."""
    src = sources.get(source)
    runtime = runtime_of(context)
    async with runtime.connection() as conn:
        cursor = await queries.execute_async(conn, "run_is_open", {"run_id": run_id})
        if not (await cursor.fetchone() or (False,))[0]:
            logs.run_id_var.set(run_id)
            log.info("aggregate skipped: the run is closed already")
            return
        async with job_step(context, conn, "aggregate", run_id, None, source) as counters:
            cursor = await queries.execute_async(conn, "run_scope", {
                "run_id": run_id, "dated_endpoints": list(src.dated_endpoints)})
            dates, seasons, pending_dates, pending_versions = await cursor.fetchone()
            cursor = await queries.execute_async(conn, "run_rows_staged", {"run_id": run_id})
            (rows_staged,) = await cursor.fetchone()
            written, check_outputs = await refresh_curated_in_lanes(
                conn, src, dates, seasons, lambda: connect_async(runtime.dsn, autocommit=True),
                rows_staged=rows_staged)
            counters.rows_written += written
            async with conn.transaction():
                await features.record_feature_checks(conn, src, dates, run_id, check_outputs)
                cursor = await queries.execute_async(conn, "run_finish", {"run_id": run_id})
                outcome = await cursor.fetchone()
                await queries.execute_async(conn, "quality_mark_run", {"run_id": run_id})
                # the dates owed a refresh that this one covered (each lane has committed)
                await queries.execute_async(conn, "curated_pending_clear", {
                    "source": source, "pending_dates": pending_dates, "pending_versions": pending_versions})
                # same transaction: the watermark moves only if the run's close committed
                await queries.execute_async(conn, "watermark_advance", {"run_id": run_id})
    if outcome:
        log.info("run finished", extra={"status": outcome[0], "detail": outcome[1]})
