"""Shows a run's progress while it runs in-process: in a terminal a progress bar (rich)
with the log lines printed above it and failures in red; piped, a plain line every few
seconds. The figures come from the database (`pipeline.report.RunProgress`): partitions
done, extracted and pending, throughput and an ETA from completed work."""

from __future__ import annotations

import logging
import sys
import time
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from pipeline import queries, report
from pipeline.db import connect_async
from pipeline.jobs.app import Runtime
from pipeline.jobs.worker import run_worker
from pipeline.report import RunProgress

PLAIN_EVERY_SECONDS = 2.0


async def read_progress(conn, run_id: int) -> RunProgress:
    cursor = await queries.execute_async(conn, "run_progress", {"run_id": run_id})
    return RunProgress(*await cursor.fetchone())


def progress_line(progress: RunProgress) -> str:
    return f"run {progress.run_id}: {report.progress_words(progress)}"


class ConsoleLogHandler(logging.Handler):
    """Log records printed through the live console, above the bar; errors in red."""

    def __init__(self, console: Console, like: logging.Handler | None) -> None:
        super().__init__()
        self.console = console
        if like is not None:
            self.setFormatter(like.formatter)
            for log_filter in like.filters:
                self.addFilter(log_filter)

    def emit(self, record: logging.LogRecord) -> None:
        style = "red" if record.levelno >= logging.ERROR else "yellow" if record.levelno >= logging.WARNING else None
        self.console.print(self.format(record), style=style, markup=False, highlight=False, soft_wrap=True)


@contextmanager
def _logs_above(console: Console):
    """While the bar shows, the root logger writes through the console instead of stderr."""
    root = logging.getLogger()
    previous = root.handlers[:]
    root.handlers[:] = [ConsoleLogHandler(console, previous[0] if previous else None)]
    try:
        yield
    finally:
        root.handlers[:] = previous


class _Bar:
    def __init__(self, stream) -> None:
        self.console = Console(file=stream, force_terminal=True)
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[detail]}"), console=self.console, transient=False)
        self.task = self.progress.add_task("run", total=None, detail="")

    def show(self, progress: RunProgress) -> None:
        failed = f"[red]{progress.failed} failed[/red]" if progress.failed else "0 failed"
        rate = progress.throughput()
        detail = (f"{progress.extracted} extracted, {progress.pending} pending, {failed}, "
                  f"{'-' if rate is None else f'{rate:.1f}'}/min, ETA {report.seconds_words(progress.eta_seconds())}")
        self.progress.update(self.task, description=f"run {progress.run_id}", total=max(progress.to_do, 1),
                             completed=progress.finished, detail=detail)


async def run_and_wait(runtime: Runtime, run_id: int, *, concurrency: int, stream=None) -> RunProgress:
    """Work the queue in this process until the run ends; returns its final progress."""
    stream = stream or sys.stderr
    bar = _Bar(stream) if stream.isatty() else None
    last_line, last_print = "", 0.0
    async with await connect_async(runtime.dsn, autocommit=True) as conn:
        latest: RunProgress | None = None

        async def finished() -> bool:
            nonlocal latest, last_line, last_print
            latest = await read_progress(conn, run_id)
            if bar is not None:
                bar.show(latest)
            else:
                line, now = progress_line(latest), time.monotonic()
                if line != last_line and (now - last_print >= PLAIN_EVERY_SECONDS or latest.status != "running"):
                    stream.write(f"{line}\n")
                    stream.flush()
                    last_line, last_print = line, now
            return latest.status != "running"

        if bar is None:
            await run_worker(runtime, concurrency=concurrency, until=finished)
        else:
            with bar.progress, _logs_above(bar.console):
                await run_worker(runtime, concurrency=concurrency, until=finished)
        return latest
