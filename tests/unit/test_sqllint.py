"""`pipeline sql lint` without a database: placeholders take the header's example values,
macros render, findings land on the line and column of the file on disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import queries, sources, sqlfiles, sqllint


def tree_with(tmp_path: Path, files: dict[str, str]) -> sqlfiles.SqlTree:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return sqlfiles.SqlTree(tmp_path)


HEADER = "-- purpose:   a probe\n-- params:    limit = 10, scoring_system = standard\n"


def test_placeholders_take_the_header_values_and_columns_map_back():
    text, shifts = sqllint.substitute_params(
        "select 1 where a = %(scoring_system)s and b = %(other)s limit %(limit)s and c like 'x%%'",
        {"limit": 10, "scoring_system": "standard"})
    assert text == "select 1 where a = 'standard' and b = 'other' limit 10 and c like 'x%'"
    after = text.index(" limit") + 1  # 1-based column of `limit` in the substituted line
    original = "select 1 where a = %(scoring_system)s and b = %(other)s limit".index(" limit") + 1
    assert sqllint._source_column(1, after + 1, shifts) == original + 1


def test_findings_are_reported_at_the_file_line_and_column(tmp_path):
    tree = tree_with(tmp_path, {
        "_macros.sql": "{%- macro in_dates(column) -%}{{ column }} = any(%(dates)s::date[]){%- endmacro -%}\n",
        "reports/x/probe.sql": HEADER + (
            '{%- from "_macros.sql" import in_dates %}\n'
            "select points.player_id\n"
            "from curated.points as points\n"
            "where points.scoring_system = %(scoring_system)s AND {{ in_dates('points.official_date') }}\n"
            "order by points.player_id\n"
            "limit %(limit)s\n"
        ),
    })
    (sql_file,) = tree.files()
    assert sql_file.params == {"limit": 10, "scoring_system": "standard"}
    findings = sqllint.lint_file(tree, sql_file)
    assert [(f.line, f.column, f.code) for f in findings] == [(6, 50, "CP01")], findings
    assert (tmp_path / "reports/x/probe.sql").read_text().splitlines()[5][49:52] == "AND"


def test_the_project_sql_is_clean_and_an_unknown_name_is_an_error():
    assert sqllint.lint_trees([sqlfiles.analysts_tree()], ["curated/mlb/team_standings"]) == []
    with pytest.raises(Exception, match="no SQL file named 'curated/mlb/nope'"):
        sqllint.lint_trees([sqlfiles.analysts_tree()], ["curated/mlb/nope"])


def test_a_header_list_is_a_list_and_stands_as_an_array(tmp_path):
    tree = tree_with(tmp_path, {"probe.sql": (
        "-- purpose:   a probe\n"
        "-- params:    schema = staging, columns = [game_pk,\n"
        "--            season], limit = 10\n"
        "select 1\n")})
    (sql_file,) = tree.files()
    assert sql_file.params == {"schema": "staging", "columns": ["game_pk", "season"], "limit": 10}
    assert sqllint.sql_literal([2024, "x"]) == "array[2024, 'x']"


def test_the_application_queries_are_clean():
    trees = [queries.QUERIES] + [source.queries for source in sources.all_sources()]
    findings = sqllint.lint_trees(trees)
    assert not findings, "\n".join(str(finding) for finding in findings)


def test_a_badly_formatted_query_is_reported_at_its_line(tmp_path):
    # a copy of the application's queries: archive_copy_out takes its partition and its
    # list of columns from its header, so only the keywords written against the style remain
    copy = tmp_path / "queries"
    shutil.copytree(queries.QUERIES.root, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = copy / "archive_copy_out.sql"
    path.write_text(path.read_text().replace("    order by raw_id\n", "    ORDER BY raw_id\n"))
    line = path.read_text().splitlines().index("    ORDER BY raw_id") + 1
    findings = sqllint.lint_trees([sqlfiles.SqlTree(copy)], ["archive_copy_out"])
    assert [(f.path, f.line, f.column, f.code) for f in findings] == [
        (path, line, 5, "CP01"), (path, line, 11, "CP01")], findings
