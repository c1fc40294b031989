"""Periodic tasks. procrastinate's periodic deferrer runs in every worker and defers each
tick once per timestamp, whatever the number of workers.

- `pipeline.schedule_tick`, every minute: fires the schedules kept in ops.schedules that
  are due (the runs layer plans their runs; the worker's Runtime carries that function).
- `pipeline.maintain_partitions`, daily: premake raw partitions, drain the defaults,
  compact raw versions past retention.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

from pipeline import archive, partitions
from pipeline.jobs.app import QUEUE, app, runtime_of

log = logging.getLogger(__name__)


@app.periodic(cron="* * * * *", periodic_id="schedules")
@app.task(name="pipeline.schedule_tick", pass_context=True, queue=QUEUE, queueing_lock="pipeline.schedule_tick")
async def schedule_tick(context, timestamp: int) -> None:
    """Every minute: fire the schedules that are due."""
    runtime = runtime_of(context)
    if runtime.fire_schedules is None:
        log.warning("schedule tick skipped: this worker was started without the run planner")
        return
    await runtime.fire_schedules(runtime.dsn, datetime.fromtimestamp(timestamp, timezone.utc))


@app.periodic(cron="17 3 * * *", periodic_id="partitions")
@app.task(name="pipeline.maintain_partitions", pass_context=True, queue=QUEUE,
          queueing_lock="pipeline.maintain_partitions")
async def maintain_partitions(context, timestamp: int) -> None:
    """Daily: premake raw partitions, drain the defaults, compact versions past retention."""
    async with runtime_of(context).connection() as conn:
        day = datetime.fromtimestamp(timestamp, timezone.utc).date()
        report = await partitions.maintain(conn, today=day, retention_days=archive.retention_days())
    log.info("partitions maintained", extra={"partitions_created": report.partitions_created, "drained": report.rows_drained,
                                             "compacted": report.versions_compacted})
