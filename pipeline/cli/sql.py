"""`pipeline sql`: the analysts' SQL files (staging, curated, quality, reports)."""

from __future__ import annotations

import click

from pipeline import report, sources, sqlfiles
from pipeline.errors import PipelineError


def _trees() -> list[sqlfiles.SqlTree]:
    """The analysts' tree, then the SQL trees of sources that keep theirs elsewhere."""
    trees = [sqlfiles.analysts_tree()]
    for source in sources.all_sources():
        if all(source.sql.root != tree.root for tree in trees):
            trees.append(source.sql)
    return trees


@click.group("sql")
def sql_group() -> None:
    """The SQL files: list them, render one as a job would run it."""


@sql_group.command("list")
def sql_list() -> None:
    """List every SQL file with its purpose.

    Example: pipeline sql list
    """
    files = [sql_file for tree in _trees() for sql_file in tree.files()]
    click.echo(report.table(["name", "purpose"], [(f.name, f.purpose) for f in files]))


@sql_group.command("render")
@click.argument("name")
def sql_render(name: str) -> None:
    """Print the exact SQL a job runs for NAME, and the values it binds.

    Example: pipeline sql render staging/mlb/player_batting
    """
    for tree in _trees():
        if (tree.root / f"{name}.sql").is_file():
            text = tree.render(name)
            break
    else:
        raise PipelineError(f"no SQL file named {name!r} (see `pipeline sql list`)")
    params = sqlfiles.parameters(text)
    click.echo(text.rstrip())
    click.echo(f"-- bound parameters: {', '.join(params) if params else 'none'}")


COMMANDS = [sql_group]
