"""The alert rules in ops.alert_rules: what each kind watches and what its threshold means."""

from __future__ import annotations

from pipeline import queries
from pipeline.errors import PipelineError

# kind -> what the threshold counts (None: the rule has no threshold)
KINDS: dict[str, str | None] = {
    "run_failed": None,
    "run_partial": None,
    "quality_error": None,
    "breaker_open": "minutes open",
    "dead_letters": "open letters",
    "data_stale": "hours since the newest final game",
    "queue_stuck": "minutes the oldest due job waited",
}


def add_rule(conn, name: str, kind: str, threshold: float, cooldown_minutes: float) -> int:
    if kind not in KINDS:
        raise PipelineError(f"unknown alert kind {kind!r} (one of {', '.join(KINDS)})")
    if threshold < 0 or cooldown_minutes < 0:
        raise PipelineError("threshold and cool-down must not be negative")
    return queries.execute(conn, "alert_rule_add", {
        "name": name, "kind": kind, "threshold": threshold, "cooldown_minutes": cooldown_minutes}).fetchone()[0]


def remove_rule(conn, name: str) -> None:
    if queries.execute(conn, "alert_rule_remove", {"name": name}).fetchone() is None:
        raise PipelineError(f"no alert rule named {name!r} (see `pipeline alerts list`)")
