"""Readable reports for the terminal: status tables, run stages, a source's summary."""

from __future__ import annotations

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


def status_report(conn, limit: int = 10) -> str:
    headers, rows = _query(conn, "run_list_recent", {"limit": limit})
    parts = ["Recent runs", table(headers, rows) if rows else "(no runs yet)"]
    headers, rows = _query(conn, "queue_depth")
    parts += ["", "Queue", table(headers, rows) if rows else "(empty)"]
    headers, rows = _query(conn, "breaker_states")
    parts += ["", "Sources (circuit breaker, rate limit)", table(headers, rows) if rows else "(no requests yet)"]
    return "\n".join(parts)


def stage_report(conn, run_id: int) -> str:
    headers, rows = _query(conn, "run_stage_timings", {"run_id": run_id})
    return table(headers, rows) if rows else "(no jobs ran for this run: every partition was already done)"


def run_errors(conn, run_id: int) -> list[str]:
    return [f"{error} ({count} partitions)" for error, count in _query(conn, "run_errors", {"run_id": run_id})[1]]


def report_params(sql_file: sqlfiles.SqlFile) -> dict[str, str | int]:
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
