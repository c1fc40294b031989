"""`pipeline serve` in a subprocess, for the e2e tests of metrics and the dashboard."""

from __future__ import annotations

import contextlib
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.e2e.conftest import CLI, cli_env


@contextlib.contextmanager
def serving(dsn: str, base_url: str, home: Path):
    """Start `pipeline serve --port 0`; yields its base URL."""
    process = subprocess.Popen([*CLI, "serve", "--port", "0"], env=cli_env(dsn, base_url, home),
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline().strip()
        assert line.startswith("serving on "), f"pipeline serve did not start: {line!r}"
        yield line.rsplit(" ", 1)[-1]
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_until(predicate, timeout: float, what: str, every: float = 0.5):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what} (last: {last!r})")


def get(url: str, timeout: float = 10) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()
