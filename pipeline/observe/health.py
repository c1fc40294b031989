"""Ready or not, and why: the checks behind `/health` and `pipeline health`.

Each check says ok or gives a reason: the database unreachable, migrations pending, no
recent worker heartbeat, a breaker open, too many dead letters, data stale. The first two
stop the rest (nothing else can be read)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import psycopg

from pipeline import db, migrate, queries
from pipeline.freshness import freshness_rows
from pipeline.ops_settings import HealthThresholds


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Health:
    checks: list[Check] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def reasons(self) -> list[str]:
        return [f"{check.name}: {check.detail}" for check in self.checks if not check.ok]

    def as_json(self) -> dict:
        return {"status": "ready" if self.ready else "not ready", "reasons": self.reasons,
                "checks": [asdict(check) for check in self.checks]}


def _one(conn, name: str, params: dict | None = None) -> tuple:
    return queries.execute(conn, name, params).fetchone()


def _workers(conn, limits: HealthThresholds) -> Check:
    live, age = _one(conn, "workers_live", {"within_seconds": limits.worker_seconds})
    if live:
        return Check("worker", True, f"{live} worker(s) with a heartbeat in the last {limits.worker_seconds:g} s")
    seen = "no worker is registered" if age is None else f"the newest heartbeat is {age:.0f} s old"
    return Check("worker", False, f"no worker heartbeat in the last {limits.worker_seconds:g} s ({seen})")


def _breakers(conn) -> Check:
    rows = queries.execute(conn, "breakers_open").fetchall()
    opened = [f"{source} ({state} since {opened_at:%Y-%m-%d %H:%M:%S})" if opened_at else f"{source} ({state})"
              for source, state, opened_at, _ in rows]
    return Check("breaker", not opened, "breaker open: " + ", ".join(opened) if opened else "every breaker closed")


def _dead_letters(conn, limits: HealthThresholds) -> Check:
    count = _one(conn, "dead_letters_open_count")[0]
    ok = count <= limits.max_dead_letters
    return Check("dead_letters", ok, f"{count} open dead letters"
                 + ("" if ok else f", over the threshold of {limits.max_dead_letters:g}"))


def _freshness(conn, limits: HealthThresholds) -> Check:
    rows = freshness_rows(conn)
    stale = [f"{source}: newest final game ({day}) reached staging {age / 3600:.1f} h ago"
             for source, _, _, day, age in rows if age is not None and age > limits.stale_hours * 3600]
    if stale:
        return Check("freshness", False, "data stale beyond " + f"{limits.stale_hours:g} h: " + "; ".join(stale))
    known = [source for source, *_, age in rows if age is not None]
    return Check("freshness", True, f"fresh within {limits.stale_hours:g} h" if known else "no final game landed yet")


def check_health(dsn: str, limits: HealthThresholds) -> Health:
    try:
        conn = psycopg.connect(dsn, connect_timeout=5, autocommit=True)
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Health([Check("database", False, f"unreachable ({db.describe(dsn)}): {reason}")])
    with conn:
        checks = [Check("database", True, f"reachable ({db.describe(dsn)})")]
        pending = [name for name, state in migrate.status(conn) if state != "applied"]
        if pending:
            checks.append(Check("migrations", False, f"{len(pending)} pending or edited: {', '.join(pending)}"))
            return Health(checks)
        checks.append(Check("migrations", True, "all applied"))
        checks += [_workers(conn, limits), _breakers(conn), _dead_letters(conn, limits), _freshness(conn, limits)]
    return Health(checks)
