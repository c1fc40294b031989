"""Delivering one message to one channel: a Slack-compatible incoming webhook (`text`), a
generic JSON webhook (the whole event), or email over SMTP (smtp:// or smtps://,
user:password@ optional, `?starttls=true`). Each delivery is retried a few times with
backoff; what still fails is raised for the caller to record and retry later."""

from __future__ import annotations

import smtplib
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
from tenacity import retry, stop_after_attempt, wait_exponential

from pipeline.ops_settings import AlertChannels

TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class AlertMessage:
    event: str  # firing, reminder, resolved, test
    rule: str
    kind: str
    subject: str
    summary: str
    incident_id: int | None = None
    opened_at: str | None = None
    resolved_at: str | None = None

    @property
    def title(self) -> str:
        label = {"firing": "FIRING", "reminder": "STILL FIRING", "resolved": "RESOLVED", "test": "TEST"}[self.event]
        return f"[{label}] {self.rule} ({self.subject})"

    @property
    def text(self) -> str:
        if self.event == "resolved":
            return f"{self.title}: resolved at {self.resolved_at} (was: {self.summary})"
        return f"{self.title}: {self.summary}"


class DeliveryError(Exception):
    pass


def _post(url: str, document: dict) -> None:
    response = httpx.post(url, json=document, timeout=TIMEOUT_SECONDS)
    if response.status_code >= 300:
        raise DeliveryError(f"HTTP {response.status_code} from {urlsplit(url).netloc}")


def _send_email(smtp_url: str, sender: str, recipients: tuple[str, ...], message: AlertMessage) -> None:
    url = urlsplit(smtp_url)
    if url.scheme not in ("smtp", "smtps"):
        raise DeliveryError(f"PIPELINE_ALERT_SMTP_URL must start smtp:// or smtps://, not {url.scheme}://")
    email = EmailMessage()
    email["Subject"], email["From"], email["To"] = message.title, sender, ", ".join(recipients)
    email.set_content(message.text + "\n")
    client = smtplib.SMTP_SSL if url.scheme == "smtps" else smtplib.SMTP
    with client(url.hostname or "localhost", url.port or (465 if url.scheme == "smtps" else 25),
                timeout=TIMEOUT_SECONDS) as smtp:
        if parse_qs(url.query).get("starttls", ["false"])[0].lower() in ("1", "true", "yes"):
            smtp.starttls()
        if url.username:
            smtp.login(unquote(url.username), unquote(url.password or ""))
        smtp.send_message(email)


@retry(stop=stop_after_attempt(3), wait=wait_exponential(multiplier=0.2, max=2), reraise=True)
def deliver(channels: AlertChannels, channel: str, message: AlertMessage) -> None:
    """Send `message` to one channel (slack, webhook, email); raises when it failed 3 times."""
    if channel == "slack" and channels.slack_url:
        _post(channels.slack_url, {"text": message.text})
    elif channel == "webhook" and channels.webhook_url:
        _post(channels.webhook_url, {**asdict(message), "text": message.text})
    elif channel == "email" and channels.smtp_url:
        _send_email(channels.smtp_url, channels.email_from, channels.email_to, message)
    else:
        raise DeliveryError(f"the {channel} channel is not configured")
