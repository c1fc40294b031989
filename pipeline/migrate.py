"""Applies migrations/ in order, once each, under an advisory lock, and installs
procrastinate's schema. A landed migration that was edited afterwards stops everything."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import procrastinate
from procrastinate.schema import SchemaManager

from pipeline import queries
from pipeline.config import resource_dir
from pipeline.errors import PipelineError

# Any constant works; it only has to be the same for every process that migrates.
MIGRATION_LOCK_ID = 7_301_466_019
PROCRASTINATE_MIGRATION = f"procrastinate-{procrastinate.__version__}-schema"


@dataclass(frozen=True)
class Migration:
    name: str
    path: Path

    @property
    def text(self) -> str:
        return self.path.read_text()

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def available_migrations() -> list[Migration]:
    return [Migration(path.name, path) for path in sorted(resource_dir("migrations").glob("[0-9]*.sql"))]


def applied_migrations(conn) -> dict[str, str]:
    queries.execute(conn, "migration_table_ensure")
    return {name: checksum for name, checksum, _ in queries.execute(conn, "migrations_applied")}


def _check_unchanged(migrations: list[Migration], applied: dict[str, str]) -> None:
    for migration in migrations:
        recorded = applied.get(migration.name)
        if recorded is not None and recorded != migration.checksum:
            raise PipelineError(
                f"migration {migration.name} was edited after it was applied "
                f"(recorded checksum {recorded[:12]}, file {migration.checksum[:12]}); "
                "add a new migration instead"
            )


def migrate(conn) -> list[str]:
    """Apply what is missing; returns the names applied. One transaction, so a failure
    leaves the database as it was."""
    applied_now: list[str] = []
    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(%s)", [MIGRATION_LOCK_ID])
        applied = applied_migrations(conn)
        migrations = available_migrations()
        _check_unchanged(migrations, applied)
        if any(migration.name not in applied for migration in migrations):
            queries.execute(conn, "roles_ensure")  # before the migration that grants to them
        if not any(name.startswith("procrastinate-") for name in applied):
            # procrastinate's schema lives in public; installed once, its own upgrades are
            # applied with its migration files when the package is upgraded.
            conn.execute(SchemaManager.get_schema())
            queries.execute(conn, "migration_record", {"name": PROCRASTINATE_MIGRATION, "checksum": "-"})
            applied_now.append(PROCRASTINATE_MIGRATION)
        for migration in migrations:
            if migration.name in applied:
                continue
            conn.execute(migration.text)
            queries.execute(conn, "migration_record", {"name": migration.name, "checksum": migration.checksum})
            applied_now.append(migration.name)
    return applied_now


def status(conn) -> list[tuple[str, str]]:
    """(name, state) for every migration: applied, pending, or edited."""
    applied = applied_migrations(conn)
    rows = [(name, "applied") for name in applied if name.startswith("procrastinate-")]
    for migration in available_migrations():
        recorded = applied.get(migration.name)
        if recorded is None:
            rows.append((migration.name, "pending"))
        elif recorded != migration.checksum:
            rows.append((migration.name, "EDITED after it was applied"))
        else:
            rows.append((migration.name, "applied"))
    return rows
