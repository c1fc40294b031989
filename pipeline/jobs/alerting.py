"""`pipeline.evaluate_alerts`, every minute: the alert rules against the database, then
delivery of what each channel is owed (pipeline.alerts.evaluate). Deferred once per minute
whatever the number of workers; an evaluation that fails is logged and retried by the
next tick, never by failing a pipeline job."""

from __future__ import annotations

import asyncio
import logging

from pipeline.alerts.evaluate import evaluate_alerts
from pipeline.jobs.app import QUEUE, app, runtime_of
from pipeline.ops_settings import alert_channels

log = logging.getLogger(__name__)


@app.periodic(cron="* * * * *", periodic_id="alerts")
@app.task(name="pipeline.evaluate_alerts", pass_context=True, queue=QUEUE, queueing_lock="pipeline.evaluate_alerts")
async def evaluate_alerts_task(context, timestamp: int) -> None:
    """Every minute: open, remind and resolve incidents; deliver notifications."""
    try:
        await asyncio.to_thread(evaluate_alerts, runtime_of(context).dsn, alert_channels())
    except Exception:
        log.exception("alert evaluation failed; the next tick tries again")
