"""End-to-end fixtures: the real CLI and the simulator as subprocesses, over real HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

SEED = 11
SEASON = 2024
CLI = [str(Path(sys.executable).with_name("pipeline"))] if Path(sys.executable).with_name("pipeline").exists() \
    else [sys.executable, "-m", "pipeline.cli"]

# Columns that legitimately differ between two databases loaded the same way.
VOLATILE = {"raw_id", "updated_at"}
COMPARED_TABLES = [
    "staging.mlb_teams", "staging.mlb_games", "staging.mlb_players", "staging.mlb_player_batting",
    "staging.mlb_player_pitching", "curated.mlb_player_season_batting",
    "curated.mlb_player_season_pitching", "curated.mlb_team_standings",
    "curated.mlb_fantasy_points_daily",
]


@pytest.fixture(scope="session")
def simulator_url():
    process = subprocess.Popen([*CLI, "simulate", "serve", "--port", "0", "--seed", str(SEED),
                                "--season", str(SEASON)], stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline().strip()
    assert line.startswith("simulator listening on "), f"simulator did not start: {line!r}"
    yield line.rsplit(" ", 1)[-1]
    process.terminate()
    process.wait(timeout=10)


def cli_env(dsn: str, base_url: str, home: Path, **settings: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIPELINE_")}
    # the shared rate limit stays on, at a rate the simulator does not need to be spared
    # from; a short breaker cool-down lets a run against a dead API fail in seconds
    env.update(DATABASE_URL=dsn, PIPELINE_MLB_BASE_URL=base_url, PIPELINE_HOME=str(home),
               PIPELINE_LOG_FORMAT="json", PIPELINE_MLB_RATE_LIMIT="500", PIPELINE_MLB_RATE_BURST="50",
               PIPELINE_MLB_BREAKER_COOLDOWN="0.5")
    env.update(settings)
    return env


@pytest.fixture
def run_cli(tmp_path):
    def run(args: list[str], dsn: str, base_url: str, timeout: float = 300, **settings: str
            ) -> subprocess.CompletedProcess:
        return subprocess.run([*CLI, *args], env=cli_env(dsn, base_url, tmp_path, **settings), capture_output=True,
                              text=True, timeout=timeout)

    return run


def table_checksums(dsn: str) -> dict[str, tuple[int, str]]:
    """(row count, md5 of every row's data columns in key order) per compared table."""
    result = {}
    with psycopg.connect(dsn) as conn:
        for table in COMPARED_TABLES:
            schema, name = table.split(".")
            columns = [row[0] for row in conn.execute(
                "select column_name from information_schema.columns where table_schema = %s and table_name = %s "
                "order by ordinal_position", [schema, name]) if row[0] not in VOLATILE]
            column_list = ", ".join(columns)
            count, digest = conn.execute(
                f"select count(*), md5(coalesce(string_agg(row_text, '|' order by row_text), '')) "
                f"from (select ({column_list})::text as row_text from {table}) as rows_").fetchone()
            result[table] = (count, digest)
    return result
