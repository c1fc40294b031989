"""The dashboard's data: one read-only JSON document the page (static/dashboard.js) draws
as charts. Every value comes from a query in pipeline/queries/."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from importlib import resources
from typing import Any

from pipeline import queries
from pipeline.freshness import newest_final_games

RECENT_RUNS = 12
CALENDAR_RUNS = 6


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _records(conn, name: str, params: dict | None = None) -> list[dict]:
    cursor = queries.execute(conn, name, params)
    columns = [column.name for column in cursor.description]
    return [{column: _plain(value) for column, value in zip(columns, row)} for row in cursor.fetchall()]


def dashboard_data(conn) -> dict:
    """Runs, each run's partition calendar, queue depth and request rate over time, dead
    letters, breakers, the quality trend and freshness."""
    calendar: dict[int, list[dict]] = {}
    for row in _records(conn, "dashboard_partitions", {"runs": CALENDAR_RUNS}):
        calendar.setdefault(row["run_id"], []).append({"date": row["partition_key"], "state": row["state"]})
    return {
        "generated_at": _plain(datetime.now().astimezone()),
        "runs": _records(conn, "run_list_recent", {"limit": RECENT_RUNS}),
        "calendar": [{"run_id": run_id, "partitions": cells} for run_id, cells in calendar.items()],
        "timeline": _records(conn, "dashboard_timeline"),
        "dead_letters": _records(conn, "dashboard_dead_letters"),
        "sources": _records(conn, "metrics_sources"),
        "quality": _records(conn, "quality_trend", {"limit": RECENT_RUNS}),
        "freshness": _records(conn, "freshness_sources", newest_final_games(conn)),
    }


def asset(name: str) -> bytes | None:
    """A file of the page (static/), shipped inside the package: no CDN, no internet."""
    files = resources.files("pipeline.observe") / "static"
    candidate = files / name
    if "/" in name or name.startswith(".") or not candidate.is_file():
        return None
    return candidate.read_bytes()
