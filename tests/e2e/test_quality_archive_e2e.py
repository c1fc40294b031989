"""The real CLI, worker and simulator over HTTP: clean data passes every error check; the
simulator's --bad-data-rate makes checks fail and payloads quarantined, reported by
`pipeline quality report`; `pipeline archive export/restore --rebuild` round-trips a month."""

from __future__ import annotations

import subprocess

import psycopg
import pytest

from tests.e2e.conftest import CLI, SEASON, SEED, table_checksums

pytestmark = pytest.mark.e2e


@pytest.fixture
def bad_simulator_url():
    process = subprocess.Popen([*CLI, "simulate", "serve", "--port", "0", "--seed", str(SEED),
                                "--season", str(SEASON), "--bad-data-rate", "0.5"], stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline().strip()
    assert line.startswith("simulator listening on "), f"simulator did not start: {line!r}"
    yield line.rsplit(" ", 1)[-1]
    process.terminate()
    process.wait(timeout=10)


def test_clean_data_passes_and_a_month_round_trips_through_the_archive(dsn, simulator_url, run_cli, tmp_path):
    result = run_cli(["run", "backfill", "--start", "2024-04-01", "--end", "2024-04-07", "--wait"], dsn, simulator_url)
    assert result.returncode == 0, result.stderr[-3000:]
    with psycopg.connect(dsn) as conn:
        failed = conn.execute("select check_name, partition_key from ops.data_quality_checks "
                              "where severity = 'error' and not passed").fetchall()
        assert failed == [], f"clean simulator data failed error checks: {failed}"
        assert conn.execute("select quality_status from ops.pipeline_runs").fetchone()[0] in ("passed", "warned")
    report = run_cli(["quality", "report"], dsn, simulator_url)
    assert report.returncode == 0 and "value_ranges" in report.stdout, report.stderr[-2000:]

    listed = run_cli(["partitions", "list", "--table", "mlb_boxscore"], dsn, simulator_url)
    assert "mlb_boxscore_y2024m04" in listed.stdout
    before = table_checksums(dsn)
    archive_dir = str(tmp_path / "archive")
    for name in ("mlb_schedule_y2024m04", "mlb_boxscore_y2024m04"):
        exported = run_cli(["archive", "export", "--partition", name, "--dir", archive_dir], dsn, simulator_url)
        assert exported.returncode == 0 and "verified, partition dropped" in exported.stdout, exported.stderr[-2000:]
    with psycopg.connect(dsn, autocommit=True) as conn:
        assert conn.execute("select count(*) from raw.mlb_boxscore").fetchone()[0] == 0
        conn.execute("truncate staging.mlb_player_batting, staging.mlb_player_pitching")
    for name in ("mlb_schedule_y2024m04", "mlb_boxscore_y2024m04"):
        restored = run_cli(["archive", "restore", "--partition", name, "--dir", archive_dir, "--rebuild"],
                           dsn, simulator_url)
        assert restored.returncode == 0 and "checksum verified" in restored.stdout, restored.stderr[-2000:]
    assert table_checksums(dsn) == before, "staging rebuilt from the restored raw equals the original"
    listing = run_cli(["archive", "list"], dsn, simulator_url)
    assert listing.stdout.count("mlb_") >= 2


def test_bad_data_fails_checks_and_is_reported(dsn, bad_simulator_url, run_cli):
    result = run_cli(["run", "backfill", "--start", "2024-04-10", "--end", "2024-04-11", "--wait"],
                     dsn, bad_simulator_url)
    # quarantined answers leave their dates partial (exit 4, dead letters open); failed
    # error checks are named on the final line either way
    assert result.returncode in (4, 5), "a partial run or failed checks\n" + result.stderr[-3000:]
    assert "quality failed" in result.stdout + result.stderr, result.stderr[-3000:]
    with psycopg.connect(dsn) as conn:
        failing = {name for (name,) in conn.execute(
            "select distinct check_name from ops.data_quality_checks where not passed")}
        assert "value_ranges" in failing, "negative counts and hits > at-bats are caught"
        reasons = {reason for (reason,) in conn.execute("select reason from ops.raw_quarantine")}
        assert any("person.id" in reason for reason in reasons), "missing and duplicated player ids are caught"
        assert conn.execute("select quality_status from ops.pipeline_runs").fetchone()[0] == "failed"
        blocked = conn.execute("select count(*) from ops.quality_blocked_games").fetchone()[0]
        held_back = conn.execute("select sum(games_held_back) from curated.mlb_daily_totals").fetchone()[0]
        curated = conn.execute("select count(distinct official_date) from curated.mlb_fantasy_points_daily").fetchone()[0]
        assert blocked >= 1 and held_back == blocked, "the bad games are held back, and the totals say so"
        assert curated == 2, "the other games of both dates are promoted"
    report = run_cli(["quality", "report"], dsn, bad_simulator_url)
    assert report.returncode == 0
    assert "Failures" in report.stdout and "raw_shape:mlb_boxscore" in report.stdout
    assert "Held back from curated" in report.stdout, "the report names the held-back games"
