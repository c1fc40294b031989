"""`pipeline sql`: the analysts' SQL files (staging, curated, quality, reports) and, with
`--all`, the application's own queries; render any of them as a job would run it."""

from __future__ import annotations

from datetime import date

import click
import jinja2

from pipeline import curate, db, lineage, queries, report, sources, sqlfiles
from pipeline.cli.options import migrated
from pipeline.errors import PipelineError


def _analysts_trees() -> list[tuple[str, sqlfiles.SqlTree]]:
    """The analysts' tree, then the SQL trees of sources that keep theirs elsewhere."""
    trees = [("sql", sqlfiles.analysts_tree())]
    for source in sources.all_sources():
        if all(source.sql.root != tree.root for _, tree in trees):
            trees.append((f"{source.name} sql", source.sql))
    return trees


def _application_trees() -> list[tuple[str, sqlfiles.SqlTree]]:
    """The application's own queries, then each source's."""
    trees = [("application", queries.QUERIES)]
    trees += [(f"{source.name} queries", source.queries) for source in sources.all_sources()]
    return trees


@click.group("sql")
def sql_group() -> None:
    """The SQL files: list them, render one as a job would run it."""


@sql_group.command("list")
@click.option("--all", "include_application", is_flag=True,
              help="Also list the application's own queries (pipeline/queries, a source's queries/).")
def sql_list(include_application: bool) -> None:
    """List the analysts' SQL files (staging, curated, quality, reports) with their purpose.

    Example: pipeline sql list --all
    """
    trees = _analysts_trees() + (_application_trees() if include_application else [])
    rows = [(f.name, label, f.purpose) for label, tree in trees for f in tree.files()]
    click.echo(report.table(["name", "tree", "purpose"], rows))


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    """`name=value` pairs as a dict; anything else is one clear error."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise PipelineError(f"--param {pair!r} is not name=value")
        values[name.strip()] = value
    return values


def render_file(name: str, values: dict[str, str]) -> tuple[str, list[str]]:
    """The text of `name` rendered with `values` as its structure, and the names it binds."""
    for _, tree in _analysts_trees() + _application_trees():
        if (tree.root / f"{name}.sql").is_file():
            break
    else:
        raise PipelineError(f"no SQL file named {name!r} (see `pipeline sql list --all`)")
    try:
        text = tree.render(name, **values)
    except jinja2.UndefinedError as exc:
        # StrictUndefined says "'table' is undefined": name it as the option to give
        missing = str(exc).split("'")[1] if str(exc).count("'") >= 2 else str(exc)
        raise PipelineError(f"{name} needs the parameter {missing!r}: give --param {missing}=VALUE") from None
    except jinja2.TemplateError as exc:
        raise PipelineError(f"{name} cannot be rendered: {exc}") from None
    return text, sqlfiles.parameters(text)


def _rendered(name: str) -> str:
    """The text of `name` (analysts' or application SQL) with no structure given."""
    return render_file(name, {})[0]


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


@sql_group.command("explain")
@click.argument("name")
@click.option("--param", "pairs", multiple=True, help="A value the file binds, NAME=VALUE (dates, ints; a,b: a list).")
@migrated
def sql_explain(dsn: str, name: str, pairs: tuple[str, ...]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of a SQL file on the real data, in a transaction that is
    rolled back: nothing it would write stays.

    Example: pipeline sql explain staging/mlb/player_batting --param partition_date=2024-04-10

    A curated file takes dates and seasons (--param seasons=2024); the season bounds a run
    binds beside them (season_start, season_end) follow from those.
    """
    text = _rendered(name)
    params = {name: _value(value.strip()) for name, value in parse_params(pairs).items()}
    for key in ("dates", "seasons"):  # lists, even of one
        if key in params and not isinstance(params[key], list):
            params[key] = [params[key]]
    if "seasons" in params or "dates" in params:  # a curated file: the season bounds a refresh binds
        params = {**curate.refresh_params(params.get("dates", []), params.get("seasons", [])), **params}
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
@click.option("--param", "pairs", multiple=True, metavar="NAME=VALUE",
              help="A value to bind (or a template name such as table=mlb_boxscore); repeatable.")
def sql_render(name: str, pairs: tuple[str, ...]) -> None:
    """Print the exact SQL a job runs for NAME, and the values it binds (given with
    --param; without them, their names).

    Example: pipeline sql render staging/mlb/games --param partition_date=2024-04-01
    """
    values = parse_params(pairs)
    text, params = render_file(name, values)
    click.echo(text.rstrip())
    if not params:
        click.echo("-- bound parameters: none")
    elif not values:
        click.echo(f"-- bound parameters: {', '.join(params)}")
    else:
        missing = [param for param in params if param not in values]
        click.echo("-- bound parameters: " + ", ".join(
            f"{param} = {values[param]!r}" if param in values else f"{param} = (not given)" for param in params))
        if missing:
            click.echo(f"-- not given: {', '.join(missing)} (add --param {missing[0]}=VALUE)")


@sql_group.command("lint")
@click.argument("names", nargs=-1)
def sql_lint(names: tuple[str, ...]) -> None:
    """Lint SQL files with sqlfluff as a job renders them: all of them (the analysts' and
    the application's, as `pipeline sql list --all` shows them), or the NAMEs given.

    Placeholders and Jinja names take the example values of the file's `-- params:`
    header; findings are shown at their line in the file. Exit 1 when there is any.

    Example: pipeline sql lint curated/mlb/team_standings landing_store
    """
    from pipeline import sqllint  # sqlfluff takes a second to import: only for this command

    trees = _analysts_trees() + _application_trees()
    findings = sqllint.lint_trees([tree for _, tree in trees], list(names))
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
