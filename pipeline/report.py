"""Readable reports for the terminal: run summaries, status tables."""

from __future__ import annotations

from datetime import timedelta

from pipeline import sqlfiles


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
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def _query(conn, name: str, params: dict | None = None) -> tuple[list[str], list[tuple]]:
    cursor = sqlfiles.execute(conn, name, params)
    return [column.name for column in cursor.description], cursor.fetchall()


def status_report(conn, limit: int = 10) -> str:
    headers, rows = _query(conn, "ops/recent_runs", {"limit": limit})
    parts = ["Recent runs", table(headers, rows) if rows else "(no runs yet)"]
    headers, rows = _query(conn, "ops/queue_depth")
    parts += ["", "Queue", table(headers, rows) if rows else "(empty)"]
    headers, rows = _query(conn, "ops/breaker_states")
    parts += ["", "Sources (circuit breaker, rate limit)", table(headers, rows) if rows else "(no requests yet)"]
    return "\n".join(parts)


def stage_report(conn, run_id: int) -> str:
    headers, rows = _query(conn, "ops/run_stage_timings", {"run_id": run_id})
    return table(headers, rows) if rows else "(no jobs ran for this run: every partition was already done)"


def run_errors(conn, run_id: int) -> list[str]:
    return [f"{error} ({count} partitions)" for error, count in _query(conn, "ops/run_errors", {"run_id": run_id})[1]]


def summary_report(conn, run_id: int | None) -> str:
    """What the demo prints: what was loaded, the top scorers, how long each stage took."""
    if run_id is None:
        run_id = sqlfiles.execute(conn, "ops/latest_run").fetchone()[0]
    headers, rows = _query(conn, "reports/mlb/totals")
    totals = dict(zip(headers, rows[0]))
    parts = [
        f"Loaded: {totals['games']} games ({totals['final_games']} final) "
        f"from {totals['first_date']} to {totals['last_date']}, "
        f"{totals['batting_lines']} batting lines, {totals['pitching_lines']} pitching lines, "
        f"{totals['players']} players",
        "",
        "Top fantasy scorers (scoring system 'standard', edit curated.fantasy_scoring to change it)",
        table(*_query(conn, "reports/mlb/top_fantasy_scorers", {"scoring_system": "standard", "limit": 10})),
    ]
    if run_id is not None:
        parts += ["", f"Stages of run {run_id}", stage_report(conn, run_id)]
    parts += [
        "",
        "Where to look next:",
        "  pipeline status                      runs, partitions and queue",
        "  pipeline sql list                    every SQL file and what it fills",
        "  pipeline sql render staging/mlb/games   the exact SQL a job runs",
        "  tables: staging.mlb_games, staging.mlb_player_batting, curated.mlb_team_standings,",
        "          curated.mlb_player_season_batting, curated.mlb_fantasy_points_daily",
    ]
    return "\n".join(parts)
