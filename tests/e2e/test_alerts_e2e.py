"""The alerts are evaluated by a procrastinate periodic task in a real `pipeline worker`:
a dead-letter incident reaches a local webhook from the worker, once."""

from __future__ import annotations

import subprocess
import threading

import psycopg
import pytest

from tests.db.test_alerts import Receiver
from tests.e2e.conftest import CLI, cli_env
from tests.e2e.observe import wait_until

pytestmark = pytest.mark.e2e


def test_a_worker_evaluates_the_rules_and_delivers(dsn, simulator_url, tmp_path):
    receiver = Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("update ops.alert_rules set threshold = 0 where kind = 'dead_letters'")
        conn.execute("insert into ops.dead_letters (source, endpoint, request_key, error_class, error_message) "
                     "values ('mlb', 'boxscore', '/x', 'NotJson', 'bad body')")
    env = cli_env(dsn, simulator_url, tmp_path, PIPELINE_ALERT_WEBHOOK_URL=receiver.url("/hook"))
    # procrastinate defers the tick of the minute just past when a worker starts, so the
    # evaluation runs within seconds rather than at the next minute
    worker = subprocess.Popen([*CLI, "worker", "--concurrency", "2"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: receiver.bodies("/hook"), 90, "the worker's alert to reach the webhook")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        receiver.shutdown()
        receiver.server_close()
    assert [(body["event"], body["rule"], body["subject"]) for body in receiver.bodies("/hook")] == [
        ("firing", "dead-letters", "mlb")]
    with psycopg.connect(dsn) as conn:
        ran = conn.execute("select count(*) from procrastinate_jobs where task_name = 'pipeline.evaluate_alerts' "
                           "and status = 'succeeded'").fetchone()[0]
    assert ran >= 1, "a procrastinate job of the periodic task did the evaluation"
