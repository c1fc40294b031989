"""A run knows its source: each run records the base URL (never its password) and, for the
simulator, its seed and season; a backfill against another simulated league than the data
already landed says so and stops unless --force (the same league on another port is fine)."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.simulator.api import Simulator
from pipeline.simulator.server import start_in_thread

pytestmark = pytest.mark.e2e


@pytest.fixture
def simulators():
    started = {}
    for name, seed in (("seed3", 3), ("seed3-again", 3), ("seed4", 4)):
        url, stop = start_in_thread(simulator=Simulator(seed=seed, season=2024))
        started[name] = (url, stop)
    yield {name: url for name, (url, _) in started.items()}
    for _, stop in started.values():
        stop()


@pytest.fixture
def backfill(dsn, monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("PIPELINE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", dsn)
    monkeypatch.setenv("PIPELINE_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("PIPELINE_MLB_RATE_LIMIT", "0")

    def run(url: str, day: str, *options: str):
        monkeypatch.setenv("PIPELINE_MLB_BASE_URL", url.replace("http://", "http://reader:s3cret@"))
        return CliRunner().invoke(main, ["run", "backfill", "--start", day, "--end", day, "--wait", *options])

    return run


def test_a_backfill_against_another_seed_is_refused_unless_forced(backfill, simulators, conn):
    first = backfill(simulators["seed3"], "2024-04-16")
    assert first.exit_code == 0, first.output
    assert "s3cret" not in first.output
    url, identity = conn.execute("select source_url, source_identity from ops.pipeline_runs").fetchone()
    assert url == simulators["seed3"] and "s3cret" not in url, "the base URL is recorded without its password"
    assert identity == {"simulator": {"seed": 3, "season": 2024}}

    same_league = backfill(simulators["seed3-again"], "2024-04-17")
    assert same_league.exit_code == 0, "the same seed on another port is the same data: " + same_league.output

    other = backfill(simulators["seed4"], "2024-04-18")
    assert other.exit_code == 1
    lines = [line for line in other.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: the data landed for mlb came from the simulator"), lines
    assert "seed 3" in lines[0] and "seed 4" in lines[0] and "--force" in lines[0]
    assert conn.execute("select count(*) from ops.pipeline_runs").fetchone()[0] == 2, "nothing was planned"

    forced = backfill(simulators["seed4"], "2024-04-18", "--force")
    assert forced.exit_code == 0, forced.output


def test_a_backfill_with_nothing_to_do_says_why(backfill, simulators):
    assert backfill(simulators["seed3"], "2024-04-16").exit_code == 0
    again = backfill(simulators["seed3"], "2024-04-16")
    assert again.exit_code == 0
    assert "0 queued (every partition is done already: --force redoes them)" in again.output
