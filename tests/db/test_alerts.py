"""Alerts reach a local HTTP receiver (Slack-compatible and generic webhooks) and a local
SMTP server (aiosmtpd) exactly once per incident, again only after the cool-down, and once
more when the incident resolves; a channel that fails is retried and never raises."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from pipeline.alerts import rules
from pipeline.alerts.evaluate import evaluate_alerts
from pipeline.jobs.alerting import evaluate_alerts_task
from pipeline.jobs.app import app
from pipeline.ops_settings import alert_channels
from tests.e2e.conftest import CLI


class Receiver(ThreadingHTTPServer):
    """Collects JSON posts by path; answers 500 to the first `fail_first` posts."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict]] = []
        self.fail_first = 0
        super().__init__(("127.0.0.1", 0), _ReceiverHandler)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def bodies(self, path: str) -> list[dict]:
        return [body for where, body in self.posts if where == path]


class _ReceiverHandler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.server.fail_first > 0:
            self.server.fail_first -= 1
            self.send_response(500)
        else:
            self.server.posts.append((self.path, body))
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[dict] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append({"to": envelope.rcpt_tos, "text": envelope.content.decode()})
        return "250 OK"


@pytest.fixture
def receiver():
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def mailbox():
    box = Mailbox()
    with socket.socket() as probe:  # aiosmtpd's controller needs a port it can name
        probe.bind(("127.0.0.1", 0))
        box.port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()


@pytest.fixture
def channels(receiver, mailbox, monkeypatch):
    settings = {
        "PIPELINE_ALERT_SLACK_URL": receiver.url("/slack"),
        "PIPELINE_ALERT_WEBHOOK_URL": receiver.url("/hook"),
        "PIPELINE_ALERT_SMTP_URL": f"smtp://127.0.0.1:{mailbox.port}",
        "PIPELINE_ALERT_EMAIL_TO": "oncall@example.com",
    }
    for key, value in settings.items():
        monkeypatch.setenv(key, value)
    return settings


def add_dead_letters(conn, count: int) -> None:
    for index in range(count):
        conn.execute("insert into ops.dead_letters (source, endpoint, request_key, error_class, error_message) "
                     "values ('mlb', 'boxscore', %s, 'NotJson', 'bad body')", [f"/game/{index}"])


def events(receiver: Receiver, mailbox: Mailbox) -> dict[str, list[str]]:
    return {
        "slack": [body["text"].split("]")[0] + "]" for body in receiver.bodies("/slack")],
        "webhook": [body["event"] for body in receiver.bodies("/hook")],
        "email": [next(line for line in message["text"].splitlines() if line.startswith("Subject:"))
                  for message in mailbox.messages],
    }


def test_an_incident_alerts_each_channel_once_and_its_resolution_once(conn, channels, receiver, mailbox):
    rules.add_rule(conn, "dead-letters", "dead_letters", threshold=1, cooldown_minutes=60)
    dsn = conn.info.dsn
    assert evaluate_alerts(dsn, alert_channels()).opened == 0
    add_dead_letters(conn, 2)
    for _ in range(3):  # three ticks while the incident lasts: one alert
        evaluate_alerts(dsn, alert_channels())
    assert events(receiver, mailbox) == {"slack": ["[FIRING]"], "webhook": ["firing"],
                                         "email": ["Subject: [FIRING] dead-letters (mlb)"]}
    hook = receiver.bodies("/hook")[0]
    assert hook["rule"] == "dead-letters" and hook["subject"] == "mlb"
    assert hook["summary"] == "2 open dead letters (threshold 1)"
    assert mailbox.messages[0]["to"] == ["oncall@example.com"]

    conn.execute("update ops.dead_letters set resolved_at = now(), resolution = 'landed'")
    for _ in range(2):
        evaluate_alerts(dsn, alert_channels())
    assert events(receiver, mailbox) == {
        "slack": ["[FIRING]", "[RESOLVED]"], "webhook": ["firing", "resolved"],
        "email": ["Subject: [FIRING] dead-letters (mlb)", "Subject: [RESOLVED] dead-letters (mlb)"]}

    add_dead_letters(conn, 2)  # it happens again: a new incident, alerted again
    evaluate_alerts(dsn, alert_channels())
    assert [body["event"] for body in receiver.bodies("/hook")] == ["firing", "resolved", "firing"]
    incidents = conn.execute("select count(*), count(resolved_at) from ops.alert_incidents").fetchone()
    assert incidents == (2, 1)


def test_a_lasting_incident_alerts_again_only_after_the_cool_down(conn, channels, receiver, mailbox):
    rules.add_rule(conn, "dead-letters", "dead_letters", threshold=0, cooldown_minutes=30)
    add_dead_letters(conn, 1)
    evaluate_alerts(conn.info.dsn, alert_channels())
    conn.execute("update ops.alert_incidents set last_alerted_at = now() - interval '29 minutes'")
    evaluate_alerts(conn.info.dsn, alert_channels())
    assert [body["event"] for body in receiver.bodies("/hook")] == ["firing"], "within the cool-down: silent"
    conn.execute("update ops.alert_incidents set last_alerted_at = now() - interval '31 minutes'")
    evaluate_alerts(conn.info.dsn, alert_channels())
    evaluate_alerts(conn.info.dsn, alert_channels())
    assert [body["event"] for body in receiver.bodies("/hook")] == ["firing", "reminder"]
    assert len(mailbox.messages) == 2


def test_a_failing_channel_is_retried_later_and_never_raises(conn, channels, receiver, mailbox):
    rules.add_rule(conn, "dead-letters", "dead_letters", threshold=0, cooldown_minutes=60)
    add_dead_letters(conn, 1)
    receiver.fail_first = 6  # slack and webhook each fail their 3 attempts of this tick
    result = evaluate_alerts(conn.info.dsn, alert_channels())
    assert (result.delivered, result.failed) == (1, 2), "email went out; both webhooks failed, nothing raised"
    assert receiver.posts == []
    result = evaluate_alerts(conn.info.dsn, alert_channels())
    assert (result.delivered, result.failed) == (2, 0), "the next tick delivers what was owed"
    assert events(receiver, mailbox)["slack"] == ["[FIRING]"]
    assert events(receiver, mailbox)["webhook"] == ["firing"]
    assert len(mailbox.messages) == 1


def test_a_failed_run_alerts_until_a_later_run_succeeds(conn, channels, receiver, mailbox):
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIPELINE_")}
    env.update(DATABASE_URL=conn.info.dsn, PIPELINE_LOG_FORMAT="json", **channels)

    def evaluate() -> str:
        result = subprocess.run([*CLI, "alerts", "evaluate"], env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout

    conn.execute("insert into ops.pipeline_runs (source, mode, status, finished_at, message) "
                 "values ('mlb', 'backfill', 'failed', now(), 'extract failed: HTTPError')")
    assert "opened 1" in evaluate()
    assert "opened 0, reminded 0, resolved 0" in evaluate()
    conn.execute("insert into ops.pipeline_runs (source, mode, status, finished_at) "
                 "values ('mlb', 'backfill', 'succeeded', now())")
    assert "resolved 1" in evaluate()
    texts = [body["text"] for body in receiver.bodies("/slack")]
    assert len(texts) == 2
    assert texts[0].startswith("[FIRING] run-failed (mlb): run 1 failed: extract failed: HTTPError")
    assert texts[1].startswith("[RESOLVED] run-failed (mlb)")
    assert len(mailbox.messages) == 2


def test_the_worker_evaluates_alerts_every_minute():
    periodic = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic["pipeline.evaluate_alerts"] == "* * * * *"
    assert evaluate_alerts_task.name == "pipeline.evaluate_alerts"


def test_the_alerts_commands(conn, receiver):
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIPELINE_")}
    env.update(DATABASE_URL=conn.info.dsn, PIPELINE_LOG_FORMAT="json")

    def cli(*args: str, **settings: str) -> subprocess.CompletedProcess:
        return subprocess.run([*CLI, "alerts", *args], env={**env, **settings}, capture_output=True, text=True,
                              timeout=60)

    added = cli("add", "stuck", "--kind", "queue_stuck", "--threshold", "20", "--cooldown", "30")
    assert added.returncode == 0 and "alert rule 'stuck': queue_stuck, threshold 20, cool-down 30 min" in added.stdout
    listed = cli("list")
    assert listed.returncode == 0
    row = next(line for line in listed.stdout.splitlines() if line.startswith("stuck "))
    assert row.split()[:5] == ["stuck", "queue_stuck", "20.0", "30.0", "True"]
    assert "channels: none configured" in listed.stdout
    assert cli("remove", "stuck").returncode == 0
    again = cli("remove", "stuck")
    assert (again.returncode, again.stderr.strip()) == (
        1, "Error: no alert rule named 'stuck' (see `pipeline alerts list`)")
    bad = cli("add", "x", "--kind", "everything")
    assert bad.returncode == 2 and "Invalid value for '--kind'" in bad.stderr

    unconfigured = cli("test")
    assert unconfigured.returncode == 1 and unconfigured.stderr.startswith("Error: no alert channel is configured")
    sent = cli("test", PIPELINE_ALERT_WEBHOOK_URL=receiver.url("/hook"))
    assert sent.returncode == 0 and sent.stdout.strip() == "webhook: delivered"
    assert [body["event"] for body in receiver.bodies("/hook")] == ["test"]
    receiver.fail_first = 3
    failed = cli("test", PIPELINE_ALERT_WEBHOOK_URL=receiver.url("/hook"))
    host = receiver.url("").removeprefix("http://")
    assert failed.returncode == 1
    assert failed.stderr.strip() == f"Error: delivery failed: webhook: DeliveryError: HTTP 500 from {host}"
