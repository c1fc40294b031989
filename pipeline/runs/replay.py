"""Replay: a run of mode 'replay' over the partitions that hold open dead letters. Each
partition's extract fetches what it still lacks (what landed is not fetched again), so the
letters' requests are retried, and a success lands the data, resolves the letter and
completes the partition through the usual transform and aggregate steps."""

from __future__ import annotations

from pipeline import queries
from pipeline.db import connect_async
from pipeline.partition import Partition
from pipeline.runs.open import PlannedRun, open_run
from pipeline.sources import Source


async def plan_replay(dsn: str, source: Source, dead_letter_id: int | None) -> PlannedRun | None:
    """Open a replay run over the partitions of the open letters (one, or all) and queue
    their extract jobs; None when there is nothing to replay."""
    async with await connect_async(dsn, autocommit=True) as conn:
        cursor = await queries.execute_async(conn, "dead_letter_partitions", {
            "source": source.name, "dead_letter_id": dead_letter_id})
        partitions = [Partition(source.name, endpoint, key) for endpoint, key in await cursor.fetchall()]
        if not partitions:
            return None
        return await open_run(conn, dsn, source, "replay", {"dead_letter_id": dead_letter_id}, partitions)
