"""One evaluation: read what the rules find true now, open, remind and resolve incidents,
then deliver what each channel is owed. Run by the periodic task `pipeline.evaluate_alerts`
(every minute) and by `pipeline alerts evaluate`.

An incident alerts once when it opens, again only when its rule's cool-down has passed, and
once when it resolves. A notification that could not be delivered stays pending and is
retried at the next evaluation (up to MAX_ATTEMPTS); delivery never raises, so it never
fails a pipeline job. A session advisory lock keeps two evaluations from running at once."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import psycopg

from pipeline import queries
from pipeline.freshness import newest_final_games
from pipeline.alerts.channels import AlertMessage, deliver
from pipeline.ops_settings import AlertChannels

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 20
LOCK_ID = 0x616C657274  # "alert"


@dataclass
class Evaluation:
    opened: int = 0
    reminded: int = 0
    resolved: int = 0
    delivered: int = 0
    failed: int = 0
    skipped: bool = False


def _owe(conn, incident_id: int, event: str, channels: list[str]) -> None:
    for channel in channels:
        queries.execute(conn, "alert_notification_add", {"incident_id": incident_id, "channel": channel,
                                                         "event": event})


def update_incidents(conn, channels: list[str], result: Evaluation) -> None:
    """Incidents follow the conditions, in one transaction."""
    with conn.transaction():
        firing = queries.execute(conn, "alert_conditions", newest_final_games(conn)).fetchall()
        for rule_id, subject, summary in firing:
            params = {"rule_id": rule_id, "subject": subject, "summary": summary}
            opened = queries.execute(conn, "alert_incident_open", params).fetchone()
            if opened is not None:
                result.opened += 1
                _owe(conn, opened[0], "firing", channels)
                continue
            incident_id, reminder_due = queries.execute(conn, "alert_incident_remind", params).fetchone()
            if reminder_due:
                result.reminded += 1
                _owe(conn, incident_id, "reminder", channels)
        resolved = queries.execute(conn, "alert_incident_resolve", {
            "rule_ids": [row[0] for row in firing], "subjects": [row[1] for row in firing]}).fetchall()
        for (incident_id,) in resolved:
            result.resolved += 1
            _owe(conn, incident_id, "resolved", channels)


def deliver_pending(conn, channels: AlertChannels, result: Evaluation) -> None:
    pending = queries.execute(conn, "alert_notifications_pending", {"max_attempts": MAX_ATTEMPTS}).fetchall()
    for (notification_id, channel, event, incident_id, rule, kind, subject, summary, opened_at,
         resolved_at) in pending:
        message = AlertMessage(event=event, rule=rule, kind=kind, subject=subject, summary=summary,
                               incident_id=incident_id, opened_at=opened_at and opened_at.isoformat(),
                               resolved_at=resolved_at and resolved_at.isoformat())
        error = None
        try:
            deliver(channels, channel, message)
            result.delivered += 1
        except Exception as exc:  # any failure of a channel: recorded, retried next time
            error = f"{type(exc).__name__}: {exc}"[:500]
            result.failed += 1
            log.warning("alert delivery failed", extra={"channel": channel, "incident_id": incident_id,
                                                        "error": error})
        queries.execute(conn, "alert_notification_result", {"notification_id": notification_id, "error": error})


def evaluate_alerts(dsn: str, channels: AlertChannels) -> Evaluation:
    result = Evaluation()
    with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as conn:
        if not conn.execute("select pg_try_advisory_lock(%s)", [LOCK_ID]).fetchone()[0]:
            result.skipped = True
            return result
        try:
            update_incidents(conn, channels.names(), result)
            deliver_pending(conn, channels, result)
        finally:
            conn.execute("select pg_advisory_unlock(%s)", [LOCK_ID])
    if result.opened or result.resolved or result.reminded or result.failed:
        log.info("alerts evaluated", extra={"opened": result.opened, "reminded": result.reminded,
                                            "resolved": result.resolved, "delivered": result.delivered,
                                            "delivery_failed": result.failed})
    return result
