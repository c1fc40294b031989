"""`pipeline sql`: the analysts' SQL files (staging, curated, quality, reports)."""

from __future__ import annotations

from datetime import date

import click

from pipeline import db, report, sources, sqlfiles
from pipeline.cli.options import migrated
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


def _rendered(name: str) -> str:
    for tree in _trees():
        if (tree.root / f"{name}.sql").is_file():
            return tree.render(name)
    raise PipelineError(f"no SQL file named {name!r} (see `pipeline sql list`)")


def _value(text: str):
    """A --param value: a date, an integer, or text; commas make a list of them."""
    if "," in text:
        return [_value(part.strip()) for part in text.split(",") if part.strip()]
    for parse in (date.fromisoformat, int):
        try:
            return parse(text)
        except ValueError:
            pass
    return text


def _params(pairs: tuple[str, ...]) -> dict:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise PipelineError(f"--param {pair!r} is not NAME=VALUE")
        params[key.strip()] = _value(value.strip())
    return params


@sql_group.command("explain")
@click.argument("name")
@click.option("--param", "pairs", multiple=True, help="A value the file binds, NAME=VALUE (dates, ints; a,b: a list).")
@migrated
def sql_explain(dsn: str, name: str, pairs: tuple[str, ...]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of a SQL file on the real data, in a transaction that is
    rolled back: nothing it would write stays.

    Example: pipeline sql explain staging/mlb/player_batting --param partition_date=2024-04-10
    """
    text = _rendered(name)
    params = _params(pairs)
    missing = [param for param in sqlfiles.parameters(text) if param not in params]
    if missing:
        raise PipelineError(f"{name} binds {', '.join(missing)}: give each with --param NAME=VALUE")
    with db.connect(dsn) as conn:
        try:
            plan = conn.execute(f"explain (analyze, buffers) {text}", params).fetchall()
        finally:
            conn.rollback()
    click.echo("\n".join(line for (line,) in plan))


@sql_group.command("render")
@click.argument("name")
def sql_render(name: str) -> None:
    """Print the exact SQL a job runs for NAME, and the values it binds.

    Example: pipeline sql render staging/mlb/player_batting
    """
    text = _rendered(name)
    params = sqlfiles.parameters(text)
    click.echo(text.rstrip())
    click.echo(f"-- bound parameters: {', '.join(params) if params else 'none'}")


COMMANDS = [sql_group]
