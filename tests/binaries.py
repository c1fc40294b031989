"""Tests that need a program from the system (prometheus, promtool, chromium): skipped with
the reason on a developer machine, failed under CI (CI=true), where .ci/run installs them."""

from __future__ import annotations

import os
import shutil
import socket

import pytest


def require(binary: str, package: str) -> str:
    path = shutil.which(binary)
    if path:
        return path
    message = f"`{binary}` not found: install the Debian package `{package}` (.ci/run does)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
