"""Settings of the watchers (health thresholds, alert channels), kept apart from
`pipeline.config` so either can change alone. Environment wins over the `[health]` and
`[alerts]` tables of pipeline.toml, which win over the defaults."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError


def _table(name: str) -> dict:
    path = Path(os.environ.get("PIPELINE_CONFIG", "pipeline.toml"))
    if not path.is_file():
        return {}
    return tomllib.loads(path.read_text()).get(name, {})


def _lookup(table: dict, env: str, key: str, default):
    value = os.environ.get(env)
    if value not in (None, ""):
        return value
    return table.get(key, default)


def _number(value, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise PipelineError(f"{name} must be a number, got {value!r}") from None
    if number < 0:
        raise PipelineError(f"{name} must not be negative, got {value!r}")
    return number


@dataclass(frozen=True)
class HealthThresholds:
    """When `pipeline health` and `/health` say not ready."""

    worker_seconds: float = 60.0  # no worker heartbeat for this long
    max_dead_letters: float = 100.0  # more open dead letters than this
    stale_hours: float = 72.0  # the newest final game reached staging longer ago than this


def health_thresholds() -> HealthThresholds:
    table = _table("health")
    return HealthThresholds(
        worker_seconds=_number(_lookup(table, "PIPELINE_HEALTH_WORKER_SECONDS", "worker_seconds", 60),
                               "PIPELINE_HEALTH_WORKER_SECONDS"),
        max_dead_letters=_number(_lookup(table, "PIPELINE_HEALTH_MAX_DEAD_LETTERS", "max_dead_letters", 100),
                                 "PIPELINE_HEALTH_MAX_DEAD_LETTERS"),
        stale_hours=_number(_lookup(table, "PIPELINE_HEALTH_STALE_HOURS", "stale_hours", 72),
                            "PIPELINE_HEALTH_STALE_HOURS"),
    )


@dataclass(frozen=True)
class AlertChannels:
    """Where alerts go; a channel with no URL is off."""

    slack_url: str | None = None
    webhook_url: str | None = None
    smtp_url: str | None = None
    email_to: tuple[str, ...] = ()
    email_from: str = "pipeline@localhost"

    def names(self) -> list[str]:
        return [name for name, on in (("slack", self.slack_url), ("webhook", self.webhook_url),
                                      ("email", self.smtp_url and self.email_to)) if on]


def alert_channels() -> AlertChannels:
    table = _table("alerts")
    recipients = _lookup(table, "PIPELINE_ALERT_EMAIL_TO", "email_to", "")
    if isinstance(recipients, str):
        recipients = [part.strip() for part in recipients.split(",") if part.strip()]
    smtp_url = _lookup(table, "PIPELINE_ALERT_SMTP_URL", "smtp_url", None) or None
    if smtp_url and not recipients:
        raise PipelineError("PIPELINE_ALERT_SMTP_URL is set but PIPELINE_ALERT_EMAIL_TO names no recipient")
    return AlertChannels(
        slack_url=_lookup(table, "PIPELINE_ALERT_SLACK_URL", "slack_url", None) or None,
        webhook_url=_lookup(table, "PIPELINE_ALERT_WEBHOOK_URL", "webhook_url", None) or None,
        smtp_url=smtp_url,
        email_to=tuple(recipients),
        email_from=_lookup(table, "PIPELINE_ALERT_EMAIL_FROM", "email_from", "pipeline@localhost"),
    )
