"""The SQL trees' conventions: headers, structure-only Jinja, values always bound. Three
trees: the analysts' `sql/`, the application's `pipeline/queries/`, and each source's own
queries."""

from __future__ import annotations

import re

import pytest

from pipeline import queries, sqlfiles, stage
from pipeline.errors import PipelineError
from pipeline.queries import QUERIES
from pipeline.sources import mlb

TREES = {"sql": sqlfiles.analysts_tree(), "queries": queries.QUERIES, "mlb queries": mlb.SOURCE.queries}
FILES = [(tree, sql_file) for tree in TREES.values() for sql_file in tree.files()]
IDS = [f"{label}:{sql_file.name}" for label, tree in TREES.items() for sql_file in tree.files()]
# files that need a table name to render (structure, not values)
NEEDS_STRUCTURE = ("landing_store", "landing_keys_since_run", "landing_mark_unchanged", "raw_payload_sizes",
                   "raw_compact", "archive_", "quarantine_letters_sync")


def render(tree, sql_file) -> str:
    if sql_file.name.startswith(NEEDS_STRUCTURE):
        return tree.render(sql_file.name, table="mlb_boxscore", partition="mlb_boxscore_y2024m04",
                           columns=["raw_id"])
    return tree.render(sql_file.name)


@pytest.mark.parametrize("tree,sql_file", FILES, ids=IDS)
def test_every_file_opens_with_the_analyst_header(tree, sql_file):
    for key in ("purpose", "grain", "keys", "partition", "sources"):
        assert sql_file.header.get(key), f"{sql_file.name} lacks a '-- {key}:' header line"


@pytest.mark.parametrize("tree,sql_file", FILES, ids=IDS)
def test_every_file_renders_to_plain_sql(tree, sql_file):
    text = render(tree, sql_file)
    assert "{{" not in text and "{%" not in text


def test_sql_holds_only_what_analysts_read():
    zones = {sql_file.name.split("/")[0] for sql_file in sqlfiles.list_files()}
    assert zones <= {"staging", "curated", "quality", "reports", "features"}, zones


def test_application_queries_are_named_noun_then_verb():
    # no verb-first names (`record_dead_letter`, `create_run`) in the application's queries
    verbs = ("record_", "create_", "resolve_", "ensure_", "drain_", "finish_", "fail_", "log_", "mark_", "plan_",
             "count_", "set_", "advance_", "compact_", "land_", "due_", "recent_", "latest_", "open_")
    offenders = [name for name in queries.names() if name.startswith(verbs)]
    assert not offenders, f"verb-first query names: {offenders}"


def test_identifiers_outside_the_allowlist_are_refused():
    assert "raw.mlb_boxscore" in queries.render("landing_store", table="mlb_boxscore")
    with pytest.raises(PipelineError, match="not an allowed SQL identifier"):
        queries.render("landing_store", table="mlb_boxscore; drop table raw.mlb_teams")


def test_staging_transforms_bind_the_partition_date():
    for name in ("staging/mlb/games", "staging/mlb/player_batting", "staging/mlb/player_pitching"):
        assert sqlfiles.parameters(sqlfiles.render(name)) == ["partition_date"]


def test_staging_order_comes_from_the_headers():
    # games and players before the lines that reference both (sources:/depends: headers)
    games = stage.staging_files(mlb.SOURCE, "games")
    assert set(games) == {"staging/mlb/games", "staging/mlb/players", "staging/mlb/player_batting",
                          "staging/mlb/player_pitching"}
    for line in ("staging/mlb/player_batting", "staging/mlb/player_pitching"):
        assert games.index("staging/mlb/games") < games.index(line)
        assert games.index("staging/mlb/players") < games.index(line)
    assert stage.staging_files(mlb.SOURCE, "teams") == ["staging/mlb/teams"]


def test_a_dependency_cycle_in_the_headers_is_refused(tmp_path):
    folder = tmp_path / "staging" / "x"
    folder.mkdir(parents=True)
    for name, reads in (("a", "staging.x_b"), ("b", "staging.x_a")):
        (folder / f"{name}.sql").write_text(f"-- purpose: p\n-- sources: {reads}\nselect 1\n")
    tree = sqlfiles.SqlTree(tmp_path)
    with pytest.raises(PipelineError, match="cycle"):
        sqlfiles.in_dependency_order(tree.files(), stage.target_table)


@pytest.mark.parametrize("tree,sql_file", FILES, ids=IDS)
def test_every_percent_sign_is_a_placeholder_or_escaped(tree, sql_file):
    # psycopg reads every % of a statement with parameters: a bare modulo breaks the file at run time
    text = render(tree, sql_file)
    stray = re.findall(r"%(?!\(\w+\)s|%)", text.replace("%%", ""))
    assert not stray, f"{sql_file.name} has a bare '%': write '%%' for the modulo operator"


def test_core_queries_name_no_source_table():
    # what a source's tables hold is the source's business: a core query gets a table by
    # name (`table=...`, a default only for rendering alone) or from the source's own queries
    source_tables = re.compile(r"\b(raw|staging|curated)\.mlb_")
    offenders = []
    for sql_file in QUERIES.files():
        text = sql_file.path.read_text()
        text = re.sub(r"\{#.*?#\}|\{%.*?%\}", "", text, flags=re.S)  # jinja comments and defaults
        text = re.sub(r"--[^\n]*", "", text)  # SQL comments
        if source_tables.search(text):
            offenders.append(sql_file.name)
    assert not offenders, f"core queries that read a source's tables: {offenders}"
