"""One run's report for CI and people (`pipeline report --run ID --format md|json`): the
run's record, its partitions, each stage's timings, its errors and quality results."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from pipeline import queries
from pipeline.errors import PipelineError


def _rows(conn, name: str, params: dict) -> list[dict]:
    cursor = queries.execute(conn, name, params)
    names = [column.name for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def run_report(conn, run_id: int) -> dict:
    """Everything the report says about `run_id`, as plain data."""
    run = _rows(conn, "run_show", {"run_id": run_id})
    if not run:
        raise PipelineError(f"no run {run_id} (see `pipeline status`)")
    progress = _rows(conn, "run_progress", {"run_id": run_id})[0]
    return {
        "run": run[0],
        "partitions": {key: progress[key] for key in ("planned", "skipped", "done", "failed", "pending")},
        "stages": _rows(conn, "run_stage_timings", {"run_id": run_id}),
        "errors": _rows(conn, "run_errors", {"run_id": run_id}),
        "quality": _rows(conn, "quality_report", {"run_id": run_id}),
    }


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(report: dict) -> str:
    return json.dumps(report, default=_plain, indent=2)


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, list):
        return ", ".join(_cell(item) for item in value) or "-"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(rows: list[dict]) -> list[str]:
    if not rows:
        return ["(none)"]
    headers = list(rows[0])
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return lines + ["| " + " | ".join(_cell(row[h]) for h in headers) + " |" for row in rows]


def to_markdown(report: dict) -> str:
    run = report["run"]
    icon = {"succeeded": "✅", "failed": "❌"}.get(run["status"], "⏳")
    lines = [
        f"## {icon} Run {run['run_id']}: {run['source']} {run['mode']} {run['status']}",
        "",
        f"- parameters: `{json.dumps(run['params'], default=_plain)}`",
        f"- started {_cell(run['started_at'])}, finished {_cell(run['finished_at'])} ({run['seconds']} s)",
        f"- quality: {run['quality_status'] or '-'}",
        "- partitions: " + ", ".join(f"{count} {name}" for name, count in report["partitions"].items()),
        f"- curated recomputed for dates {_cell(run['curated_dates'])}; seasons {_cell(run['curated_seasons'])}",
    ]
    if run["message"]:
        lines.append(f"- message: {_cell(run['message'])}")
    lines += ["", "### Stages", "", *_table(report["stages"])]
    lines += ["", "### Errors", "", *_table(report["errors"])]
    lines += ["", "### Quality checks", "", *_table(report["quality"])]
    return "\n".join(lines) + "\n"
