"""`pipeline status` tells the truth: extracted apart from pending, throughput and an ETA
from completed work that does not rise while nothing finishes, live workers (heartbeats),
the age of the oldest queued job; `--json` for machines."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime, timedelta, timezone

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.report import RunProgress
from pipeline.runs.backfill import plan_backfill
from pipeline.sources import mlb

START = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)


def progress(read_at: datetime, done: int = 10, last_finished_at: datetime = START + timedelta(minutes=5)):
    return RunProgress(run_id=1, status="running", started_at=START, finished_at=None, message=None, planned=40,
                       skipped=0, done=done, failed=0, extracted=3, pending=27 - done + 10,
                       last_finished_at=last_finished_at, requests=100, read_at=read_at)


def test_the_eta_comes_from_completed_work_and_does_not_rise_while_stalled():
    now = START + timedelta(minutes=5)
    fresh = progress(now)
    assert fresh.throughput() == 2.0, "10 partitions in 5 minutes"
    assert fresh.eta_seconds() == 15 * 60, "30 left at 2 a minute"
    stalled = [progress(now + timedelta(minutes=m)) for m in (1, 5, 20)]
    etas = [p.eta_seconds() for p in stalled]
    assert etas == sorted(etas, reverse=True) and etas[-1] == 0, f"the ETA rose while stalled: {etas}"
    assert {p.eta_at() for p in stalled} == {fresh.eta_at()}
    assert progress(now, done=0, last_finished_at=None).eta_seconds() is None, "no ETA before any work is done"


def test_status_shows_extracted_apart_from_pending_workers_and_queue_age(dsn, conn, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", dsn)
    planned = asyncio.run(plan_backfill(dsn, mlb.SOURCE, date(2024, 4, 1), date(2024, 4, 4)))
    conn.execute("update ops.pipeline_checkpoints set status = 'done', last_run_id = %s, updated_at = now() "
                 "where endpoint = 'games' and partition_key = '2024-04-01'", [planned.run_id])
    conn.execute("update ops.pipeline_checkpoints set status = 'extracted' "
                 "where endpoint = 'games' and partition_key = '2024-04-02'")
    conn.execute("update ops.pipeline_runs set started_at = now() - interval '1 minute'")
    conn.execute("update procrastinate_events set at = at - interval '90 seconds' where type = 'deferred'")
    conn.execute("insert into procrastinate_workers (last_heartbeat) values (now()), "
                 "(now() - interval '1 minute')")

    result = CliRunner().invoke(main, ["status", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    run = data["runs"][0]
    assert (run["done"], run["extracted"], run["pending"], run["failed"]) == (1, 1, 3, 0), run
    assert run["quality"] == "-"
    running = data["running"][0]
    assert running["to_do"] == 5 and running["finished"] == 1
    assert running["throughput_per_minute"] > 0 and running["eta_seconds"] is not None
    assert data["workers"]["live_workers"] == 1, "the worker whose heartbeat stopped is not live"
    assert data["queue"]["queued"] == planned.queued
    assert float(data["queue"]["oldest_queued_seconds"]) >= 90

    text = CliRunner().invoke(main, ["status"])
    assert text.exit_code == 0, text.output
    assert "1/5 partitions done, 1 extracted, 3 pending" in text.output
    assert "1 live worker(s)" in text.output and "oldest queued job waiting" in text.output


def test_status_watch_redraws_until_interrupted(dsn, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", dsn)
    naps = []

    def sleep(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("pipeline.cli.status.time.sleep", sleep)
    result = CliRunner().invoke(main, ["status", "--watch", "--interval", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.count("Recent runs") == 2 and naps == [1.0, 1.0], "a view, a second, a view, until Ctrl-C"
