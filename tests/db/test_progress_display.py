"""`run --wait` in a terminal: a progress bar with the log lines printed above it (never
glued to it), failures in red; piped: plain lines."""

from __future__ import annotations

import asyncio
import io
import logging
import re
from datetime import date

from pipeline import logs
from pipeline.config import load_settings
from pipeline.runs.backfill import plan_backfill
from pipeline.runs.progress import run_and_wait
from pipeline.runs.runtime import worker_runtime
from pipeline.simulator.api import Simulator
from pipeline.sources import mlb
from tests.db.test_quality_gate import transport

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def wait(dsn: str, stream) -> None:
    async def go():
        planned = await plan_backfill(dsn, mlb.SOURCE, date(2024, 4, 16), date(2024, 4, 16))
        runtime = worker_runtime(dsn, load_settings(), transport=transport(Simulator(seed=3), {}))
        return await run_and_wait(runtime, planned.run_id, concurrency=2, stream=stream)

    return asyncio.run(go())


def test_in_a_terminal_log_lines_print_above_the_bar(dsn, monkeypatch):
    monkeypatch.setenv("PIPELINE_MLB_BASE_URL", "http://simulator.test")
    terminal = Terminal()
    logs.configure("INFO", "text")
    root = logging.getLogger()
    before = root.handlers[:]
    try:
        root.handlers[0].setStream(terminal)
        progress = wait(dsn, terminal)
    finally:
        root.handlers[:] = before
    assert progress.status == "succeeded"
    assert root.handlers == before, "the log handler is given back after the bar"
    text = terminal.getvalue()
    lines = [ANSI.sub("", part) for part in re.split(r"[\r\n]", text) if ANSI.sub("", part).strip()]
    assert any("transform done" in line for line in lines), "log lines are shown"
    assert any(re.search(r"run \d+ .*2/2", line) for line in lines), f"a bar with done/total: {lines[-3:]}"
    glued = [line for line in lines if "done" in line and "ETA" in line and "partition=" in line]
    assert not glued, f"a log line glued to the progress line: {glued}"


def test_piped_progress_is_plain_lines(dsn, monkeypatch):
    monkeypatch.setenv("PIPELINE_MLB_BASE_URL", "http://simulator.test")
    piped = io.StringIO()
    wait(dsn, piped)
    text = piped.getvalue()
    assert "\x1b[" not in text and "\r" not in text
    assert text.splitlines()[-1].startswith("run ") and "2/2 partitions done" in text.splitlines()[-1]


def test_failures_are_red_in_the_terminal():
    from rich.console import Console

    from pipeline.runs import progress as progress_module

    terminal = Terminal()
    console = Console(file=terminal, force_terminal=True, color_system="standard")
    handler = progress_module.ConsoleLogHandler(console, None)
    handler.emit(logging.LogRecord("x", logging.ERROR, __file__, 1, "extract failed", None, None))
    handler.emit(logging.LogRecord("x", logging.INFO, __file__, 1, "extract done", None, None))
    out = terminal.getvalue()
    assert "\x1b[31mextract failed" in out and "\x1b[31mextract done" not in out
