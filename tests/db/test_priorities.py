"""Progress that tells the truth starts with the queue's order: a partition's transform and
a run's aggregate are fetched before the extracts still queued (procrastinate priorities),
so partitions finish as the run goes."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from pipeline.jobs.extract import EXTRACT_TASK
from pipeline.jobs.step import defer_step
from pipeline.jobs.transform import TRANSFORM_TASK
from pipeline.jobs.worker import open_queue
from pipeline.partition import Partition
from pipeline.simulator.api import Simulator
from tests.db.test_quality_gate import backfill, transport
from tests.helpers import rows


def test_a_transform_queued_after_20_extracts_runs_before_them(dsn):
    async def go() -> list[str]:
        async with open_queue(dsn) as app:
            for day in range(20):
                await defer_step(EXTRACT_TASK, Partition("mlb", "games", date(2024, 4, 1) + timedelta(days=day)), 1,
                                 False)
            await defer_step(TRANSFORM_TASK, Partition("mlb", "games", date(2024, 5, 1)), 1, False)
            worker_id = await app.job_manager.register_worker()
            fetched = []
            for _ in range(3):
                job = await app.job_manager.fetch_job(queues=None, worker_id=worker_id)
                fetched.append(f"{job.task_name} {job.task_kwargs['partition_key']}")
            return fetched

    fetched = asyncio.run(go())
    assert fetched[0] == "pipeline.transform 2024-05-01", f"the transform waited behind extracts: {fetched}"
    assert fetched[1:] == ["pipeline.extract 2024-04-01", "pipeline.extract 2024-04-02"], "extracts keep their order"


def test_partitions_finish_as_the_run_goes(dsn, conn, monkeypatch):
    """One job at a time: each date's transform runs before the next date's extract."""
    monkeypatch.setenv("PIPELINE_MLB_BASE_URL", "http://simulator.test")
    run_id, progress = backfill(dsn, date(2024, 4, 16), date(2024, 4, 19), transport(Simulator(seed=3), {}),
                                concurrency=1)
    assert progress.status == "succeeded"
    order = [(r["stage"], r["partition_key"]) for r in rows(
        conn, "select stage, partition_key from ops.job_log where run_id = %s and endpoint = 'games' "
              "order by started_at", [run_id])]
    extracts = [i for i, (stage, _) in enumerate(order) if stage == "extract"]
    first_transform = next(i for i, (stage, _) in enumerate(order) if stage == "transform")
    assert first_transform < extracts[-1], f"every transform waited for every extract: {order}"
    for i, (stage, day) in enumerate(order):
        if stage == "extract" and i + 1 < len(order):
            assert order[i + 1] == ("transform", day), f"{day}: its transform did not run next: {order}"
