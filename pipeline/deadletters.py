"""The dead-letter queue: requests that failed for good, kept in ops.dead_letters with
their error, attempts and run, until a replay lands them or someone discards them.

A replay is a run of mode 'replay' over the partitions that hold the letters: each
partition's extract fetches what it still lacks (what landed is not fetched again), so
the letters' requests are retried, and a success lands the data, resolves the letter and
completes the partition through the usual transform and aggregate steps.
"""

from __future__ import annotations


from pipeline import sources, sqlfiles
from pipeline.db import connect_async
from pipeline.errors import PipelineError
from pipeline.modes import PlannedRun, open_run


def list_letters(conn, include_resolved: bool = False, limit: int = 50) -> tuple[list[str], list[tuple]]:
    cursor = sqlfiles.execute(conn, "ops/dead_letters_list", {"include_resolved": include_resolved, "limit": limit})
    return [column.name for column in cursor.description], cursor.fetchall()


def show_letter(conn, dead_letter_id: int) -> dict:
    cursor = sqlfiles.execute(conn, "ops/dead_letter_show", {"dead_letter_id": dead_letter_id})
    row = cursor.fetchone()
    if row is None:
        raise PipelineError(f"no dead letter with id {dead_letter_id} (see `pipeline dlq list --all`)")
    return {column.name: value for column, value in zip(cursor.description, row)}


def discard_letters(conn, dead_letter_id: int | None) -> list[int]:
    """Mark open letters discarded (one, or all when `dead_letter_id` is None)."""
    if dead_letter_id is not None and show_letter(conn, dead_letter_id)["state"] != "open":
        raise PipelineError(f"dead letter {dead_letter_id} is already resolved")
    return [row[0] for row in sqlfiles.execute(conn, "ops/dead_letters_discard", {"dead_letter_id": dead_letter_id})]


async def plan_replay(dsn: str, source_name: str, dead_letter_id: int | None) -> PlannedRun | None:
    """Open a replay run over the partitions of the open letters (one, or all) and queue
    their extract jobs; None when there is nothing to replay."""
    source = sources.get(source_name)
    async with await connect_async(dsn, autocommit=True) as conn:
        cursor = await sqlfiles.execute_async(conn, "ops/dead_letter_partitions", {
            "source": source_name, "dead_letter_id": dead_letter_id})
        partitions = [sources.Partition(source_name, endpoint, key) for endpoint, key in await cursor.fetchall()]
        if not partitions:
            return None
        return await open_run(conn, dsn, source.name, "replay", {"dead_letter_id": dead_letter_id}, partitions)
