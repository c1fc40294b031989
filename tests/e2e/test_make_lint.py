"""`make lint` on a copy of the project: it fails on a badly formatted SQL file (at the
file's own lines) and on a broken workflow; with those steps the unbroken ones pass."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.prefix)

BAD_SQL = """\
-- purpose:   a probe written against the style: uppercase, implicit aliases
-- grain:     one row per player
-- keys:      player_id
-- partition: none
-- sources:   staging.mlb_player_batting
SELECT player_id, COUNT(*) lines
FROM staging.mlb_player_batting batting
WHERE official_date = %(start_date)s
GROUP BY player_id
"""

BROKEN_WORKFLOW = """\
name: broken
on: push
jobs:
  run:
    runs-on: ubuntu-latest
    steps:
      - run: echo ${{ github.event.no_such_context.oops }
"""


@pytest.fixture
def project(tmp_path) -> Path:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("pipeline", "sql", "migrations", ".github"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=ignore)
    for name in ("Makefile", "pyproject.toml", ".sqlfluff"):
        shutil.copy(ROOT / name, copy / name)
    return copy


def make_lint(project: Path) -> subprocess.CompletedProcess:
    # the copy's package first on the path: the linters read its SQL, code and workflows
    env = {**os.environ, "PYTHONPATH": str(project)}
    stamp = VENV / ".installed"
    return subprocess.run(["make", "-o", str(stamp), "lint", f"VENV={VENV}"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


def test_make_lint_fails_on_a_badly_formatted_sql_file(project):
    (project / "sql" / "reports" / "mlb" / "probe.sql").write_text(BAD_SQL)
    result = make_lint(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    probe = project / "sql" / "reports" / "mlb" / "probe.sql"
    assert f"{probe}:6:1: CP01" in output, output  # SELECT, on line 6 of the file on disk
    assert f"{probe}:6:28: AL02" in output, output  # COUNT(*) lines: an implicit column alias
    assert f"{probe}:7:33: AL01" in output, output  # a table alias without `as`
    assert "Error: 9 lint finding(s) in 1 file(s)" in output
    assert "sqlfluff" not in output, "findings only, not sqlfluff's own log lines"


def test_make_lint_fails_on_a_broken_workflow(project):
    (project / ".github" / "workflows" / "broken.yml").write_text(BROKEN_WORKFLOW)
    result = make_lint(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "sql lint: no findings" in output and "0 broken" in output, "the SQL and the contract pass"
    assert ".github/workflows/broken.yml:7" in output, output
