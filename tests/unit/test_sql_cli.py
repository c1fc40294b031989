"""`pipeline sql render` never crashes: --param binds values and shows them; a parameter a
template needs and did not get is named in one line. `sql list` shows the analysts' files,
and the application's own queries with --all; `sql lint` takes the names of either."""

from __future__ import annotations

from click.testing import CliRunner

from pipeline.cli import main


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def test_render_without_params_names_the_bound_parameters():
    result = invoke("sql", "render", "staging/mlb/games")
    assert result.exit_code == 0
    assert result.output.rstrip().endswith("-- bound parameters: partition_date")


def test_render_with_params_shows_their_values():
    result = invoke("sql", "render", "staging/mlb/games", "--param", "partition_date=2024-04-01")
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("-- bound parameters: partition_date = '2024-04-01'")


def test_render_names_a_bound_parameter_not_given():
    result = invoke("sql", "render", "run_scope", "--param", "run_id=7")
    assert result.exit_code == 0, result.output
    assert "run_id = '7'" in result.output and "dated_endpoints = (not given)" in result.output
    assert "-- not given: dated_endpoints" in result.output


def test_render_of_an_application_query_needing_structure_is_one_line():
    result = invoke("sql", "render", "landing_store")
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1 and lines == ["Error: landing_store needs the parameter 'table': give --param "
                                               "table=VALUE"], lines
    rendered = invoke("sql", "render", "landing_store", "--param", "table=mlb_boxscore")
    assert rendered.exit_code == 0 and "raw.mlb_boxscore" in rendered.output


def test_render_refuses_what_is_not_name_value_and_bad_identifiers():
    bad = invoke("sql", "render", "staging/mlb/games", "--param", "partition_date")
    assert bad.exit_code == 1 and "Error: --param 'partition_date' is not name=value" in bad.output
    unsafe = invoke("sql", "render", "landing_store", "--param", "table=x; drop table y")
    assert unsafe.exit_code == 1 and "not an allowed SQL identifier" in unsafe.output


def test_list_shows_analysts_files_by_default_and_queries_with_all():
    default = invoke("sql", "list")
    assert default.exit_code == 0
    names = {line.split()[0] for line in default.output.splitlines()[1:]}
    assert "staging/mlb/games" in names and "run_create" not in names
    everything = invoke("sql", "list", "--all")
    names = {line.split()[0] for line in everything.output.splitlines()[1:]}
    assert {"staging/mlb/games", "run_create", "games_to_fetch"} <= names


def test_lint_takes_the_names_of_application_queries_too():
    result = invoke("sql", "lint", "landing_store", "games_to_fetch", "staging/mlb/games")
    assert result.exit_code == 0 and result.output.strip() == "sql lint: no findings", result.output
    unknown = invoke("sql", "lint", "landing_nope")
    assert unknown.exit_code == 1 and "no SQL file named 'landing_nope' (see `pipeline sql list --all`)" in unknown.output
