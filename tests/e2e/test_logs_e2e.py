"""Logs keep the run and the reason: every log line of a run carries its run id (and a job's
lines its job id, source and partition), and a failed job's line carries the exception
type and message in both formats, and its traceback in JSON."""

from __future__ import annotations

import json

import psycopg
import pytest

pytestmark = pytest.mark.e2e

DAY = "2024-04-10"
BOOM = "boom from a test trigger"


@pytest.fixture
def broken_staging(dsn):
    """staging.mlb_games refuses every insert: the job staging the day's schedule fails."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("create function public.refuse_games() returns trigger language plpgsql as "
                     f"$$ begin raise exception '{BOOM}'; end $$")
        conn.execute("create trigger refuse_games before insert on staging.mlb_games "
                     "for each row execute function public.refuse_games()")
    return dsn


def json_lines(stderr: str) -> list[dict]:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


def test_every_line_of_a_run_has_its_run_id_and_a_failed_job_its_traceback(broken_staging, simulator_url, run_cli):
    result = run_cli(["run", "backfill", "--start", DAY, "--end", DAY, "--wait", "--concurrency", "2"],
                     broken_staging, simulator_url)
    assert result.returncode != 0, "the run fails: its transform cannot write"
    # the worker's daily periodic task (partition upkeep at 03:17 UTC) belongs to no run: a
    # test that runs at that minute sees its line, which is not one of the run's
    events = [event for event in json_lines(result.stderr) if event["logger"] != "pipeline.jobs.periodic"]
    assert events, result.stderr[-2000:]
    with psycopg.connect(broken_staging) as conn:
        (run_id,) = conn.execute("select run_id from ops.pipeline_runs").fetchone()
    assert [event for event in events if event["run_id"] != run_id] == [], "a line without the run id"
    job_lines = [event for event in events if event["job_id"] is not None]
    assert job_lines and all(event["source"] == "mlb" for event in job_lines)
    assert {event["partition_key"] for event in job_lines if event["event"].startswith("extract")} == {
        DAY, "2024-01-01"}, "each job's lines name its partition (the date, and the season's teams)"

    # the games extract stages the day's schedule, which the trigger refuses
    failed = [event for event in events if event["event"] == "extract failed"]
    assert failed, "the failed job logged its failure"
    line = failed[0]
    assert line["level"] == "error"
    assert line["error_type"] == "RaiseException"
    assert BOOM in line["error"]
    assert line["traceback"].startswith("Traceback (most recent call last):")
    assert "pipeline/jobs/extract.py" in line["traceback"] and BOOM in line["traceback"]


def test_a_failed_job_line_in_text_format_names_type_and_message(broken_staging, simulator_url, run_cli):
    result = run_cli(["run", "backfill", "--start", DAY, "--end", DAY, "--wait"], broken_staging, simulator_url,
                     PIPELINE_LOG_FORMAT="text")
    failed = [line for line in result.stderr.splitlines() if "extract failed" in line]
    assert failed, result.stderr[-2000:]
    assert all("run_id=1" in line and "source=mlb" in line and f"partition_key={DAY}" in line for line in failed)
    assert f"error=RaiseException: {BOOM}" in failed[0]
    assert "Traceback" not in result.stderr, "text logs stay one line per event"
