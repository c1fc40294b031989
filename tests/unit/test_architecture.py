"""The architecture contract in pyproject.toml (import-linter): it holds on this tree, and
it does break when a lower layer imports a higher one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")


def lint(folder: Path) -> subprocess.CompletedProcess:
    if LINT_IMPORTS is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    return subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=folder, capture_output=True, text=True, timeout=120)


def test_the_layers_hold_on_this_tree():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    shutil.copytree(ROOT / "pipeline", tmp_path / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with (tmp_path / "pipeline" / "db.py").open("a") as module:
        module.write("\nimport pipeline.runs.backfill  # the database layer reaching up to a mode\n")
    result = lint(tmp_path)
    assert result.returncode != 0
    assert "pipeline.db -> pipeline.runs.backfill" in result.stdout
