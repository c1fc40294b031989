"""`pipeline report --run ID --format md|json`: what the reusable workflow uploads."""

from __future__ import annotations

import asyncio
import json

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.runs.backfill import plan_backfill
from pipeline.sources import mlb
from tests.db.test_restage_retry import START, transport, work  # noqa: F401 (fixture)


def report(dsn: str, *args: str):
    return CliRunner().invoke(main, ["report", *args], env={"DATABASE_URL": dsn})


def test_run_report_as_json_and_markdown(dsn, transport):
    planned = asyncio.run(plan_backfill(dsn, mlb.SOURCE, START, START))
    assert work(dsn, transport, planned) == "succeeded"

    result = report(dsn, "--run", str(planned.run_id), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["run"]["run_id"] == planned.run_id and data["run"]["status"] == "succeeded"
    assert data["run"]["mode"] == "backfill" and data["run"]["quality_status"] in {"passed", "warned"}
    assert data["partitions"]["planned"] == 2 and data["partitions"]["done"] == 2, "one date and the season's teams"
    assert {stage["stage"] for stage in data["stages"]} == {"extract", "transform", "aggregate"}
    assert {check["check_name"] for check in data["quality"]} >= {"value_ranges", "foreign_keys"}
    assert data["errors"] == []

    markdown = report(dsn, "--run", str(planned.run_id)).output
    assert markdown.startswith(f"## ✅ Run {planned.run_id}: mlb backfill succeeded")
    assert "| stage |" in markdown and "| check_name |" in markdown
    assert report(dsn, "--format", "md").output == markdown, "the latest run by default"


def test_report_of_an_unknown_run_is_one_clear_line(dsn):
    result = report(dsn, "--run", "999")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no run 999 (see `pipeline status`)"
