"""`pipeline dlq`: dead letters, the requests that failed for good."""

from __future__ import annotations

import asyncio

import click

from pipeline import db, deadletters, report
from pipeline.cli.options import LIMIT, ROW_ID, migrated, migrated_dsn, source_option, wait_for, wait_options
from pipeline.errors import PipelineError
from pipeline.runs.replay import plan_replay


@click.group("dlq")
def dlq_group() -> None:
    """Dead letters: requests that failed for good. List, show, replay, discard."""


@dlq_group.command("list")
@click.option("--all", "include_resolved", is_flag=True, help="Include resolved (landed or discarded) letters.")
@click.option("--limit", type=LIMIT, default=50, show_default=True, help="How many letters at most.")
@migrated
def dlq_list(dsn: str, include_resolved: bool, limit: int) -> None:
    """List dead letters, open ones first.

    Example: pipeline dlq list --all
    """
    with db.connect(dsn) as conn:
        headers, rows = deadletters.list_letters(conn, include_resolved, limit)
    click.echo(report.table(headers, rows) if rows else "(no dead letters)")


@dlq_group.command("show")
@click.argument("dead_letter_id", type=ROW_ID)
@migrated
def dlq_show(dsn: str, dead_letter_id: int) -> None:
    """Show one dead letter in full: request, error, attempts, when.

    Example: pipeline dlq show 3
    """
    with db.connect(dsn) as conn:
        letter = deadletters.show_letter(conn, dead_letter_id)
    click.echo(report.table(["field", "value"], list(letter.items())))


def _one_or_all(dead_letter_id: int | None, every: bool) -> None:
    if (dead_letter_id is None) == (not every):
        raise PipelineError("give either --id N or --all")


@dlq_group.command("replay")
@click.option("--id", "dead_letter_id", type=ROW_ID, help="The letter to replay.")
@click.option("--all", "every", is_flag=True, help="Replay every open letter.")
@source_option
@wait_options
def dlq_replay(dead_letter_id: int | None, every: bool, source, wait: bool, concurrency: int | None) -> None:
    """Retry the requests of open dead letters; what lands resolves its letter.

    Example: pipeline dlq replay --all --wait
    """
    _one_or_all(dead_letter_id, every)
    dsn = migrated_dsn()
    if dead_letter_id is not None:
        with db.connect(dsn) as conn:
            if deadletters.show_letter(conn, dead_letter_id)["state"] != "open":
                raise PipelineError(f"dead letter {dead_letter_id} is already resolved")
    planned = asyncio.run(plan_replay(dsn, source, dead_letter_id))
    if planned is None:
        click.echo("no open dead letters to replay")
        return
    click.echo(f"run {planned.run_id}: replay of {planned.planned} partition(s), {planned.queued} queued")
    if wait:
        wait_for(dsn, planned.run_id, concurrency)


@dlq_group.command("discard")
@click.option("--id", "dead_letter_id", type=ROW_ID, help="The letter to discard.")
@click.option("--all", "every", is_flag=True, help="Discard every open letter.")
def dlq_discard(dead_letter_id: int | None, every: bool) -> None:
    """Give up on open dead letters; they stay listed with `--all` as discarded.

    Example: pipeline dlq discard --id 3
    """
    _one_or_all(dead_letter_id, every)
    dsn = migrated_dsn()
    with db.connect(dsn) as conn:
        discarded = deadletters.discard_letters(conn, dead_letter_id)
    click.echo(f"discarded {len(discarded)} dead letter(s)")


COMMANDS = [dlq_group]
