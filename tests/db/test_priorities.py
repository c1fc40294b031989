"""Progress that tells the truth starts with the queue's order: a partition's transform and
a run's aggregate are fetched before the extracts still queued (procrastinate priorities),
so partitions finish as the run goes."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from pipeline.jobs.extract import EXTRACT_TASK
from pipeline.jobs.step import defer_step, defer_steps
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


def test_a_runs_steps_are_queued_in_one_statement_and_those_already_queued_are_skipped(dsn, conn):
    """defer_steps queues every partition's step with its own lock, queueing lock and
    priority, as defer_step does one by one; when one of them is queued already (by an
    earlier run), the others are still queued and the count leaves that one out."""
    days = [date(2024, 4, 1) + timedelta(days=day) for day in range(5)]

    async def go() -> tuple[int, int]:
        async with open_queue(dsn):
            assert await defer_step(EXTRACT_TASK, Partition("mlb", "games", days[2]), 1, False)
            first = await defer_steps(EXTRACT_TASK, [Partition("mlb", "games", day) for day in days], 2, False)
            again = await defer_steps(TRANSFORM_TASK, [Partition("mlb", "games", day) for day in days[:2]], 2, False)
            return first, again

    first, again = asyncio.run(go())
    assert (first, again) == (4, 2), "the partition already queued counts once, the others are queued"
    queued = rows(conn, "select task_name, lock, queueing_lock, priority, args ->> 'partition_key' as day, "
                        "(args ->> 'run_id')::int as run_id from procrastinate_jobs order by id")
    extracts = [job for job in queued if job["task_name"] == EXTRACT_TASK]
    assert sorted(job["day"] for job in extracts) == [day.isoformat() for day in days], "each date's extract once"
    assert next(job for job in extracts if job["day"] == days[2].isoformat())["run_id"] == 1, \
        "the step already queued is left as it was"
    for job in queued:
        partition = Partition("mlb", "games", date.fromisoformat(job["day"]))
        assert job["lock"] == partition.lock
        assert job["queueing_lock"] == f"{job['task_name']}:{partition.lock}"
        assert job["priority"] == (20 if job["task_name"] == TRANSFORM_TASK else 0)
    assert sum(job["task_name"] == TRANSFORM_TASK for job in queued) == 2
