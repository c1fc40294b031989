"""The dead-letter queue: requests that failed for good, kept in ops.dead_letters with
their error, attempts and run, until a replay lands them or someone discards them.

A replay (pipeline.runs.replay) is a run over the partitions that hold the letters.
"""

from __future__ import annotations

from pipeline import queries
from pipeline.errors import PipelineError


def list_letters(conn, include_resolved: bool = False, limit: int = 50) -> tuple[list[str], list[tuple]]:
    cursor = queries.execute(conn, "dead_letter_list", {"include_resolved": include_resolved, "limit": limit})
    return [column.name for column in cursor.description], cursor.fetchall()


def show_letter(conn, dead_letter_id: int) -> dict:
    cursor = queries.execute(conn, "dead_letter_show", {"dead_letter_id": dead_letter_id})
    row = cursor.fetchone()
    if row is None:
        raise PipelineError(f"no dead letter with id {dead_letter_id} (see `pipeline dlq list --all`)")
    return {column.name: value for column, value in zip(cursor.description, row)}


def discard_letters(conn, dead_letter_id: int | None) -> list[int]:
    """Mark open letters discarded (one, or all when `dead_letter_id` is None)."""
    if dead_letter_id is not None and show_letter(conn, dead_letter_id)["state"] != "open":
        raise PipelineError(f"dead letter {dead_letter_id} is already resolved")
    return [row[0] for row in queries.execute(conn, "dead_letter_discard", {"dead_letter_id": dead_letter_id})]
