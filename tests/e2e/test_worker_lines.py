"""`pipeline worker` says when it starts, what it serves, and when it stops."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import pytest

from tests.e2e.conftest import CLI, cli_env

pytestmark = pytest.mark.e2e


def events(stderr: str) -> dict[str, dict]:
    found = {}
    for line in stderr.splitlines():
        if line.startswith("{"):
            event = json.loads(line)
            found.setdefault(event["event"], event)
    return found


def test_a_burst_worker_says_it_started_what_it_serves_and_that_it_stopped(dsn, tmp_path):
    result = subprocess.run([*CLI, "worker", "--burst", "--concurrency", "2"], env=cli_env(dsn, "http://x", tmp_path),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    seen = events(result.stderr)
    started = seen["worker started"]
    assert started["concurrency"] == 2 and started["queue"] == "pipeline"
    assert {"pipeline.extract", "pipeline.transform", "pipeline.aggregate"} <= set(started["tasks"].split(","))
    assert seen["worker stopped"]["reason"] == "the queue is empty"


def test_a_worker_stopped_by_sigterm_says_so(dsn, tmp_path):
    process = subprocess.Popen([*CLI, "worker"], env=cli_env(dsn, "http://x", tmp_path), stderr=subprocess.PIPE,
                               text=True)
    try:
        line = process.stderr.readline()
        assert json.loads(line)["event"] == "worker started", line
        time.sleep(1.0)
        process.send_signal(signal.SIGTERM)
        rest = process.communicate(timeout=60)[1]
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, rest
    assert events(rest)["worker stopped"]["reason"] == "asked to stop"
