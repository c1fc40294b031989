"""`pipeline sql`: the analysts' SQL files (staging, curated, quality, reports)."""

from __future__ import annotations

import click

from pipeline import lineage, report, sources, sqlfiles
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


@sql_group.command("lint")
@click.argument("names", nargs=-1)
def sql_lint(names: tuple[str, ...]) -> None:
    """Lint SQL files with sqlfluff as a job renders them (all, or the NAMEs given).

    Placeholders take the example values of the file's `-- params:` header; findings are
    shown at their line in the file. Exit 1 when there is any.

    Example: pipeline sql lint curated/mlb/team_standings
    """
    from pipeline import sqllint  # sqlfluff takes a second to import: only for this command

    findings = sqllint.lint_trees(_trees(), list(names))
    for finding in findings:
        click.echo(str(finding))
    if findings:
        raise PipelineError(f"{len(findings)} lint finding(s) in {len({f.path for f in findings})} file(s)")
    click.echo("sql lint: no findings")


@sql_group.command("lineage")
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot"]), default="mermaid", show_default=True)
def sql_lineage(fmt: str) -> None:
    """Print the lineage graph raw → staging → curated, drawn from the SQL headers.

    Example: pipeline sql lineage --format dot | dot -Tsvg > lineage.svg
    """
    graph = lineage.build(sources.all_sources())
    click.echo(graph.mermaid() if fmt == "mermaid" else graph.dot())


COMMANDS = [sql_group]
