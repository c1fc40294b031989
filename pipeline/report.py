"""Readable reports for the terminal: status tables, run stages, a source's summary."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from pipeline import queries, sqlfiles
from pipeline.sources import Source


def table(headers: list[str], rows: list[tuple]) -> str:
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in cells]
    return "\n".join(lines)


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, timedelta):
        return f"{value.total_seconds():.1f}s"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _query(conn, name: str, params: dict | None = None) -> tuple[list[str], list[tuple]]:
    cursor = queries.execute(conn, name, params)
    return [column.name for column in cursor.description], cursor.fetchall()


@dataclass(frozen=True)
class RunProgress:
    """Where a run stands, from the database (one row of `run_progress`)."""

    run_id: int
    status: str
    started_at: datetime
    finished_at: datetime | None
    message: str | None
    planned: int
    skipped: int
    done: int
    failed: int
    extracted: int
    pending: int
    last_finished_at: datetime | None
    requests: int
    read_at: datetime

    @property
    def to_do(self) -> int:
        return self.planned - self.skipped

    @property
    def finished(self) -> int:
        return self.done + self.failed

    def throughput(self) -> float | None:
        """Partitions finished per minute, over the time up to the last one that finished:
        a stall does not bend it (nothing finished meanwhile to measure)."""
        if not self.finished or self.last_finished_at is None:
            return None
        worked = max((self.last_finished_at - self.started_at).total_seconds(), 1.0)
        return self.finished / worked * 60

    def eta_at(self) -> datetime | None:
        """When the run should end at the pace of its completed work: fixed while nothing
        finishes, so the time left only counts down during a stall, never up."""
        rate = self.throughput()
        if rate is None or self.status != "running":
            return None
        return self.last_finished_at + timedelta(minutes=(self.to_do - self.finished) / rate)

    def eta_seconds(self) -> float | None:
        eta = self.eta_at()
        return None if eta is None else max((eta - self.read_at).total_seconds(), 0.0)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(to_do=self.to_do, finished=self.finished, throughput_per_minute=self.throughput(),
                    eta_at=self.eta_at(), eta_seconds=self.eta_seconds())
        return data


def read_progress(conn, run_id: int | None = None) -> list[RunProgress]:
    """One run by id, or every running run."""
    return [RunProgress(*row) for row in queries.execute(conn, "run_progress", {"run_id": run_id}).fetchall()]


def _rows(conn, name: str, params: dict | None = None) -> list[dict]:
    cursor = queries.execute(conn, name, params)
    return [dict(zip([column.name for column in cursor.description], row)) for row in cursor.fetchall()]


def status_data(conn, limit: int = 10) -> dict:
    """Everything `pipeline status` shows, as plain data (`--json`)."""
    return {
        "runs": _rows(conn, "run_list_recent", {"limit": limit}),
        "running": [progress.as_dict() for progress in read_progress(conn)],
        "queue": _rows(conn, "queue_oldest")[0],
        "queue_by_status": _rows(conn, "queue_depth"),
        "workers": _rows(conn, "worker_heartbeats")[0],
        "sources": _rows(conn, "breaker_states"),
    }


def seconds_words(value) -> str:
    if value is None:
        return "-"
    value = float(value)
    return f"{value:.0f}s" if value < 120 else f"{value / 60:.1f}min"


def progress_words(progress: RunProgress) -> str:
    """`12/40 partitions done, 3 extracted, 25 pending, 0 failed, 4.0/min, ETA 7.0min`."""
    rate = progress.throughput()
    return (f"{progress.done}/{progress.to_do} partitions done, {progress.extracted} extracted, "
            f"{progress.pending} pending, {progress.failed} failed"
            + (f" ({progress.skipped} already done)" if progress.skipped else "")
            + f", {'-' if rate is None else f'{rate:.1f}'}/min, ETA {seconds_words(progress.eta_seconds())}")


def status_report(conn, limit: int = 10) -> str:
    data = status_data(conn, limit)
    runs = data["runs"]
    parts = ["Recent runs", table(list(runs[0]), [tuple(r.values()) for r in runs]) if runs else "(no runs yet)"]
    for progress in data["running"]:
        parts += ["", f"Run {progress['run_id']} (running)",
                  "  " + progress_words(RunProgress(**{k: progress[k] for k in RunProgress.__dataclass_fields__}))]
    queue, workers = data["queue"], data["workers"]
    parts += ["", "Queue",
              f"  {queue['queued']} queued, {queue['running']} running, oldest queued job waiting "
              f"{seconds_words(queue['oldest_queued_seconds'])}",
              f"  {workers['live_workers']} live worker(s) (last heartbeat "
              f"{seconds_words(workers['last_heartbeat_seconds'])} ago)"]
    sources = data["sources"]
    parts += ["", "Sources (circuit breaker, rate limit)",
              table(list(sources[0]), [tuple(r.values()) for r in sources]) if sources else "(no requests yet)"]
    return "\n".join(parts)


def stage_report(conn, run_id: int) -> str:
    headers, rows = _query(conn, "run_stage_timings", {"run_id": run_id})
    return table(headers, rows) if rows else "(no jobs ran for this run: every partition was already done)"


def run_errors(conn, run_id: int) -> list[str]:
    return [f"{error} ({count} partitions)" for error, count in _query(conn, "run_errors", {"run_id": run_id})[1]]


def report_params(sql_file: sqlfiles.SqlFile) -> dict[str, str | int | list[str | int]]:
    """The values a report runs with, from its `params:` header (`name = value, ...`)."""
    return sql_file.params


def source_reports(conn, source: Source) -> list[str]:
    """Every file of `reports/<source>/`, run with its header's parameters, as text: a
    one-row result as `column: value` lines, any other as a table."""
    parts = []
    for sql_file in source.sql.files(f"reports/{source.name}/"):
        cursor = source.sql.execute(conn, sql_file.name, report_params(sql_file))
        headers, rows = [column.name for column in cursor.description], cursor.fetchall()
        if len(rows) == 1:
            width = max(len(h) for h in headers)
            body = "\n".join(f"  {h.ljust(width)}  {_cell(v)}" for h, v in zip(headers, rows[0]))
        else:
            body = table(headers, rows) if rows else "(none)"
        parts += [f"{sql_file.purpose} ({sql_file.name})", body, ""]
    return parts


def summary_report(conn, source: Source, run_id: int | None) -> str:
    """What the demo prints: what the source's reports say, how long each stage took."""
    if run_id is None:
        run_id = queries.execute(conn, "run_latest").fetchone()[0]
    parts = source_reports(conn, source)
    if run_id is not None:
        parts += [f"Stages of run {run_id}", stage_report(conn, run_id), ""]
    tables = [f"{zone}.{source.name}_{sql_file.name.rsplit('/', 1)[-1]}"
              for zone in ("staging", "curated") for sql_file in source.sql.files(f"{zone}/{source.name}/")]
    parts += [
        "Where to look next:",
        "  pipeline status                      runs, partitions and queue",
        "  pipeline sql list                    every SQL file and what it fills",
        f"  pipeline sql render staging/{source.name}/<table>   the exact SQL a job runs",
        "  tables: " + ", ".join(tables),
    ]
    return "\n".join(parts)
