"""The SQL tree's conventions: headers, structure-only Jinja, values always bound."""

from __future__ import annotations

import re

import pytest

from pipeline import sqlfiles
from pipeline.errors import PipelineError

FILES = sqlfiles.list_files()


@pytest.mark.parametrize("sql_file", FILES, ids=[f.name for f in FILES])
def test_every_file_opens_with_the_analyst_header(sql_file):
    for key in ("purpose", "grain", "keys", "partition", "sources"):
        assert sql_file.header.get(key), f"{sql_file.name} lacks a '-- {key}:' header line"


@pytest.mark.parametrize("sql_file", [f for f in FILES if not f.name.startswith(("ops/land_responses", "ops/landed_keys"))],
                         ids=lambda f: f.name)
def test_every_file_renders_without_structure_arguments(sql_file):
    text = sqlfiles.render(sql_file.name)
    assert "{{" not in text and "{%" not in text


def test_identifiers_outside_the_allowlist_are_refused():
    assert "raw.mlb_boxscore" in sqlfiles.render("ops/land_responses", table="mlb_boxscore")
    with pytest.raises(PipelineError, match="not an allowed SQL identifier"):
        sqlfiles.render("ops/land_responses", table="mlb_boxscore; drop table raw.mlb_teams")


def test_staging_transforms_bind_the_partition_date():
    for name in ("staging/mlb/games", "staging/mlb/player_batting", "staging/mlb/player_pitching"):
        assert sqlfiles.parameters(sqlfiles.render(name)) == ["partition_date"]


@pytest.mark.parametrize("sql_file", [f for f in FILES if not f.name.startswith(("ops/land_responses", "ops/landed_keys"))],
                         ids=lambda f: f.name)
def test_every_percent_sign_is_a_placeholder_or_escaped(sql_file):
    # psycopg reads every % of a statement with parameters: a bare modulo breaks the file at run time
    text = sqlfiles.render(sql_file.name)
    stray = re.findall(r"%(?!\(\w+\)s|%)", text.replace("%%", ""))
    assert not stray, f"{sql_file.name} has a bare '%': write '%%' for the modulo operator"
