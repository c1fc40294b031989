"""The CLI's contract without a database: help everywhere, one clear line for bad input."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from pipeline.cli import main


def all_commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + (name,))


@pytest.mark.parametrize("path,command", list(all_commands(main)), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_command_has_help_with_an_example(path, command):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert command.help, f"`pipeline {' '.join(path)}` has no help text"
    if not isinstance(command, click.Group):
        assert "Example:" in command.help, f"`pipeline {' '.join(path)}` help has no example"


@pytest.mark.parametrize("args,message", [
    (["--source", "nba", "--start", "2024-04-01", "--end", "2024-04-02"], "unknown source 'nba'"),
    (["--start", "2024-04-10", "--end", "2024-04-01"], "the end date 2024-04-01 is before the start date 2024-04-10"),
    (["--start", "2024-13-01", "--end", "2024-04-01"], "'2024-13-01' is not a date"),
    (["--start", "2024-04-01"], "needs --start and --end"),
    (["--season", "2024", "--start", "2024-04-01"], "either --season or --start/--end"),
])
def test_bad_backfill_input_is_one_clear_line(args, message, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/never_used")
    result = CliRunner().invoke(main, ["run", "backfill", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_unreachable_database_is_one_clear_line(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/pipeline")
    result = CliRunner().invoke(main, ["status"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: cannot connect to the database pipeline@127.0.0.1:1")


def test_sql_render_shows_bound_parameters_not_values():
    result = CliRunner().invoke(main, ["sql", "render", "staging/mlb/games"])
    assert result.exit_code == 0, result.output
    assert "%(partition_date)s" in result.output
    assert result.output.rstrip().endswith("-- bound parameters: partition_date")


def test_sql_render_unknown_name():
    result = CliRunner().invoke(main, ["sql", "render", "staging/mlb/nope"])
    assert result.exit_code == 1
    assert "no SQL file named 'staging/mlb/nope'" in result.output
