"""`pipeline health` (the real CLI in a subprocess) fails for each reason it knows, one test
each, and passes when all is well."""

from __future__ import annotations

import json
import os
import subprocess

import psycopg
import pytest

from tests.e2e.conftest import CLI


def health(dsn: str, **settings: str) -> tuple[int, dict]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIPELINE_")}
    env.update(DATABASE_URL=dsn, PIPELINE_LOG_FORMAT="json", **settings)
    result = subprocess.run([*CLI, "health", "--json"], env=env, capture_output=True, text=True, timeout=60)
    return result.returncode, json.loads(result.stdout)


def failing(verdict: dict) -> set[str]:
    return {check["name"] for check in verdict["checks"] if not check["ok"]}


@pytest.fixture
def healthy(conn) -> str:
    """A database where all is well: a worker heartbeat now, a final game landed now."""
    conn.execute("insert into procrastinate_workers (last_heartbeat) values (now())")
    conn.execute(
        "insert into staging.mlb_games (game_pk, season, official_date, game_type, detailed_state, abstract_state, "
        "away_team_id, home_team_id, away_score, home_score, raw_id, updated_at) "
        "values (1, 2024, '2024-04-01', 'R', 'Final', 'Final', 1, 2, 3, 4, 1, now())")
    return conn.info.dsn


def test_health_passes_when_all_is_well(healthy):
    code, verdict = health(healthy)
    assert code == 0, verdict
    assert verdict["status"] == "ready" and verdict["reasons"] == []
    assert {check["name"] for check in verdict["checks"]} == {
        "database", "migrations", "worker", "breaker", "dead_letters", "freshness"}
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIPELINE_")}
    text = subprocess.run([*CLI, "health"], env={**env, "DATABASE_URL": healthy}, capture_output=True, text=True,
                          timeout=60)
    assert text.returncode == 0 and text.stdout.splitlines()[-1] == "ready", text.stdout


def test_health_fails_when_the_database_is_unreachable():
    code, verdict = health("postgresql://nobody@127.0.0.1:1/nothing")
    assert code == 1
    assert failing(verdict) == {"database"}
    assert "unreachable" in verdict["reasons"][0]


def test_health_fails_when_migrations_are_pending(healthy, conn):
    conn.execute("delete from ops.schema_migrations where name = '0050_create_alert_rules.sql'")
    code, verdict = health(healthy)
    assert code == 1
    assert failing(verdict) == {"migrations"}
    assert "0050_create_alert_rules.sql" in verdict["reasons"][0]


def test_health_fails_without_a_recent_worker_heartbeat(healthy, conn):
    conn.execute("update procrastinate_workers set last_heartbeat = now() - interval '5 minutes'")
    code, verdict = health(healthy, PIPELINE_HEALTH_WORKER_SECONDS="60")
    assert code == 1
    assert failing(verdict) == {"worker"}
    assert "no worker heartbeat in the last 60 s" in verdict["reasons"][0]


def test_health_fails_when_a_breaker_is_open(healthy, conn):
    conn.execute("insert into ops.circuit_breakers (source, state, opened_at, last_error) "
                 "values ('mlb', 'open', now(), 'HTTP 503')")
    code, verdict = health(healthy)
    assert code == 1
    assert failing(verdict) == {"breaker"}
    assert "mlb (open since" in verdict["reasons"][0]


def test_health_fails_when_dead_letters_pass_the_threshold(healthy, conn):
    for key in ("a", "b", "c"):
        conn.execute("insert into ops.dead_letters (source, endpoint, request_key, error_class, error_message) "
                     "values ('mlb', 'boxscore', %s, 'NotJson', 'bad body')", [key])
    assert health(healthy, PIPELINE_HEALTH_MAX_DEAD_LETTERS="3")[0] == 0, "at the threshold is still ready"
    code, verdict = health(healthy, PIPELINE_HEALTH_MAX_DEAD_LETTERS="2")
    assert code == 1
    assert failing(verdict) == {"dead_letters"}
    assert "3 open dead letters, over the threshold of 2" in verdict["reasons"][0]


def test_health_fails_when_data_is_stale(healthy, conn):
    conn.execute("update staging.mlb_games set updated_at = now() - interval '30 hours'")
    assert health(healthy, PIPELINE_HEALTH_STALE_HOURS="48")[0] == 0
    code, verdict = health(healthy, PIPELINE_HEALTH_STALE_HOURS="24")
    assert code == 1
    assert failing(verdict) == {"freshness"}
    assert "data stale beyond 24 h" in verdict["reasons"][0]
