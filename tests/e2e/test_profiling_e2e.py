"""Profiling: `pipeline status --slow` lists the SQL files that took longest in a run's jobs,
and `pipeline sql explain` runs EXPLAIN (ANALYZE, BUFFERS) of a transform on the real data,
rolled back."""

from __future__ import annotations

import psycopg
import pytest

pytestmark = pytest.mark.e2e

START, END = "2024-04-08", "2024-04-09"


def test_status_slow_and_sql_explain(dsn, simulator_url, run_cli):
    result = run_cli(["run", "backfill", "--start", START, "--end", END, "--wait"], dsn, simulator_url)
    assert result.returncode == 0, result.stderr[-3000:]
    with psycopg.connect(dsn) as conn:
        recorded = dict(conn.execute("select sql_name, sum(executions) from ops.sql_timings group by 1").fetchall())
        jobs = conn.execute("select count(*) from ops.job_log where stage = 'transform' and endpoint = 'games'"
                            ).fetchone()[0]
    assert recorded["staging/mlb/player_batting"] == jobs == 2, "one execution per transform job of a date"
    assert any(name.startswith("curated/mlb/") for name in recorded)
    assert any(name.startswith("quality/mlb/") for name in recorded)

    slow = run_cli(["status", "--slow", "--limit", "5"], dsn, simulator_url)
    assert slow.returncode == 0, slow.stderr
    lines = slow.stdout.splitlines()
    assert lines[0] == "Slowest SQL files (time in jobs)"
    assert lines[1].split()[:3] == ["sql_name", "stages", "jobs"]
    assert len(lines) == 2 + 5
    totals = [float(line.split()[-3]) for line in lines[2:]]
    assert totals == sorted(totals, reverse=True), "slowest first"

    with psycopg.connect(dsn) as conn:
        before = conn.execute("select count(*), max(updated_at) from staging.mlb_player_batting").fetchone()
        conn.execute("delete from staging.mlb_player_batting where official_date = %s", [END])
        conn.commit()
    explain = run_cli(["sql", "explain", "staging/mlb/player_batting", "--param", f"partition_date={END}"],
                      dsn, simulator_url)
    assert explain.returncode == 0, explain.stderr
    assert "Execution Time" in explain.stdout and "Buffers" in explain.stdout
    assert "actual time" in explain.stdout, "ANALYZE ran the statement"
    with psycopg.connect(dsn) as conn:
        after = conn.execute("select count(*) from staging.mlb_player_batting").fetchone()[0]
    assert after < before[0], "the rows the explained MERGE would have written were rolled back"

    missing = run_cli(["sql", "explain", "staging/mlb/player_batting"], dsn, simulator_url)
    assert missing.returncode == 1
    assert missing.stderr.strip() == ("Error: staging/mlb/player_batting binds partition_date: "
                                      "give each with --param NAME=VALUE")

    curated = run_cli(["sql", "explain", "curated/mlb/player_season_batting", "--param", f"seasons={START[:4]}"],
                      dsn, simulator_url)
    assert curated.returncode == 0, curated.stderr
    assert "Execution Time" in curated.stdout, "a curated file needs only its seasons: the bounds follow"
