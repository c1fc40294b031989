"""Configuration that refuses mistakes: an unknown key in pipeline.toml or a bad value in the
environment or the file is one `Error:` line naming the key, before anything runs; secrets
never appear in those lines."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import Settings, load_settings

UNREACHABLE = "postgresql://nobody@127.0.0.1:1/never_used"


def one_error_line(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1, result.output
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "Traceback" not in result.output
    return lines[0]


@pytest.fixture
def toml(tmp_path, monkeypatch):
    def write(text: str) -> None:
        path = tmp_path / "pipeline.toml"
        path.write_text(text)
        monkeypatch.setenv("PIPELINE_CONFIG", str(path))

    for name in ("DATABASE_URL", "PIPELINE_WORKER_CONCURRENCY", "PIPELINE_MLB_RATE_LIMIT", "PIPELINE_LOG_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    return write


def test_a_misspelt_key_in_pipeline_toml_is_refused(toml):
    toml('[pipeline]\ndatabse_url = "postgresql://app:hunter2@db.example/pipeline"\n')
    line = one_error_line(CliRunner().invoke(main, ["status"]))
    assert "[pipeline] databse_url: unknown setting" in line, "the key is named, instead of the embedded db used"
    assert "hunter2" not in line


@pytest.mark.parametrize("text,named", [
    ('[pipelin]\nhome = "x"\n', "unknown section [pipelin]"),
    ('[sources.mlb]\nrate_limt = 3\n', "[sources.mlb] rate_limt: unknown setting"),
    ('[sources.mlb]\nrate_limit = "fast"\n', "[sources.mlb] rate_limit: 'fast' is not valid"),
    ('[pipeline]\nworker_concurrency = 0\n', "[pipeline] worker_concurrency: 0 is not valid"),
    ('[pipeline]\nlog_format = "xml"\n', "[pipeline] log_format: 'xml' is not valid"),
    ('[pipeline\n', "not valid TOML"),
])
def test_bad_values_in_the_file_name_their_key(toml, text, named):
    toml(text)
    assert named in one_error_line(CliRunner().invoke(main, ["status"]))


def test_a_secret_in_a_bad_file_value_is_not_shown(toml):
    toml('[pipeline]\ndatabase_url = ["postgresql://app:hunter2@db/x"]\n')
    line = one_error_line(CliRunner().invoke(main, ["status"]))
    assert "[pipeline] database_url" in line and "hunter2" not in line


@pytest.mark.parametrize("name,value", [
    ("PIPELINE_WORKER_CONCURRENCY", "abc"),
    ("PIPELINE_MLB_RATE_LIMIT", "fast"),
    ("PIPELINE_MLB_MAX_ATTEMPTS", "-1"),
    ("PIPELINE_MLB_BASE_URL", "not a url"),
])
def test_a_bad_env_value_is_refused_before_planning(toml, monkeypatch, name, value):
    toml("")
    # an unreachable database: were anything planned first, the error would be about it
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE)
    monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, ["run", "backfill", "--start", "2024-04-01", "--end", "2024-04-02"])
    line = one_error_line(result)
    assert line.startswith(f"Error: {name}: {value!r} is not valid"), line


def test_a_password_in_a_bad_base_url_is_masked(toml, monkeypatch):
    toml("")
    monkeypatch.setenv("PIPELINE_MLB_BASE_URL", "ftp://user:hunter2@host/")
    line = one_error_line(CliRunner().invoke(main, ["status"]))
    assert "PIPELINE_MLB_BASE_URL" in line and "hunter2" not in line


def test_environment_wins_over_the_file_and_values_are_typed(toml, monkeypatch):
    toml('[pipeline]\nworker_concurrency = 2\nlog_format = "text"\n[sources.mlb]\nrate_limit = 3\n')
    monkeypatch.setenv("PIPELINE_WORKER_CONCURRENCY", "6")
    settings = load_settings()
    assert settings.worker_concurrency == 6 and settings.log_format == "text"
    assert settings.source_setting("mlb", "rate_limit") == 3


def test_the_database_url_is_not_in_the_settings_repr():
    assert "hunter2" not in repr(Settings(database_url="postgresql://a:hunter2@h/db", home="x"))
