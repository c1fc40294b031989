"""Retry: queue again exactly the partitions of an ended run that are not done (failed,
partial, or never reached because a window job gave up), as a new run, like `dbt retry`.
What landed meanwhile is not fetched again; a partial partition fetches only its missing
items."""

from __future__ import annotations

from pipeline import queries, sources
from pipeline.db import connect_async
from pipeline.errors import PipelineError
from pipeline.partition import Partition
from pipeline.runs.open import PlannedRun, open_run


async def plan_retry(dsn: str, run_id: int) -> PlannedRun | None:
    """None when every partition of the run is done."""
    async with await connect_async(dsn, autocommit=True) as conn:
        cursor = await queries.execute_async(conn, "run_unfinished_partitions", {"run_id": run_id})
        rows = await cursor.fetchall()
        if not rows:
            raise PipelineError(f"no run with id {run_id} (see `pipeline status`)")
        source_name, status = rows[0][0], rows[0][1]
        if status == "running":
            raise PipelineError(f"run {run_id} is still running: wait for it to end, then retry it")
        partitions = [Partition(source_name, endpoint, key) for _, _, endpoint, key in rows if key is not None]
        if not partitions:
            return None
        return await open_run(conn, dsn, sources.get(source_name), "retry", {"run_id": run_id}, partitions)
