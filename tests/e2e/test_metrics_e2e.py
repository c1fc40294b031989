"""A real Prometheus (Debian's binary, scrape interval 1 s) scrapes `pipeline serve` during
a backfill against the simulator; PromQL over its HTTP API returns the request count the
simulator itself served."""

from __future__ import annotations

import json
import subprocess
import urllib.parse
import urllib.request

import psycopg
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.binaries import free_port, require
from tests.e2e.conftest import CLI, cli_env
from tests.e2e.observe import get, serving, wait_until

pytestmark = pytest.mark.e2e


def served(simulator_url: str) -> int:
    return json.loads(get(f"{simulator_url}/__sim/stats"))["total"]


def promql(prometheus_url: str, query: str) -> list[dict]:
    document = json.loads(get(f"{prometheus_url}/api/v1/query?" + urllib.parse.urlencode({"query": query})))
    assert document["status"] == "success", document
    return document["data"]["result"]


def scalar(prometheus_url: str, query: str) -> float | None:
    result = promql(prometheus_url, query)
    return float(result[0]["value"][1]) if result else None


@pytest.fixture
def prometheus(tmp_path):
    """Starts Prometheus on a free port; yields (its URL, a function that points it at a target)."""
    binary = require("prometheus", "prometheus")
    port = free_port()
    config = tmp_path / "prometheus.yml"

    def start(target: str) -> str:
        config.write_text(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            "scrape_configs:\n  - job_name: pipeline\n    static_configs:\n"
            f"      - targets: ['{target}']\n")
        processes.append(subprocess.Popen(
            [binary, f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'tsdb'}",
             f"--web.listen-address=127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        url = f"http://127.0.0.1:{port}"

        def ready() -> bool:
            try:
                return get(f"{url}/-/ready", timeout=2).startswith(b"Prometheus")
            except OSError:
                return False

        wait_until(ready, 30, "Prometheus to be ready")
        return url

    processes: list[subprocess.Popen] = []
    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=20)


def test_prometheus_counts_the_requests_the_simulator_served(dsn, simulator_url, run_cli, prometheus, tmp_path):
    before = served(simulator_url)
    with serving(dsn, simulator_url, tmp_path) as serve_url:
        prometheus_url = prometheus(urllib.parse.urlsplit(serve_url).netloc)
        wait_until(lambda: scalar(prometheus_url, 'up{job="pipeline"}') == 1, 30, "the first scrape")
        result = run_cli(["run", "backfill", "--start", "2024-04-01", "--end", "2024-04-07", "--wait"],
                         dsn, simulator_url)
        assert result.returncode == 0, result.stderr[-3000:]
        want = served(simulator_url) - before
        assert want > 7, "the backfill asked the simulator for schedules and box scores"
        got = wait_until(lambda: scalar(prometheus_url, "sum(pipeline_requests_total)") == want and want, 30,
                         f"Prometheus to see {want} requests")
        assert got == want
        # the request count can be scraped before the run's aggregate closes it: wait for the
        # scrape that shows the run ended, as for the requests above
        wait_until(lambda: scalar(prometheus_url, 'sum(pipeline_partitions{status="done"})') == 8.0, 30,
                   "Prometheus to see 8 partitions done (7 dates and 1 season)")
        wait_until(lambda: scalar(prometheus_url, 'sum(pipeline_runs{status="succeeded"})') == 1.0, 30,
                   "Prometheus to see the run succeeded")
        assert scalar(prometheus_url, "max_over_time(pipeline_database_up[5m])") == 1.0
        scrapes = scalar(prometheus_url, 'count_over_time(up{job="pipeline"}[5m])')
        assert scrapes and scrapes >= 3, "Prometheus scraped all through the backfill"
        increase = scalar(prometheus_url, 'sum(pipeline_requests_total) - sum(pipeline_requests_total offset 1h)')
        assert increase is None, "no samples an hour ago: the counter series began with this test"


def test_a_worker_serves_its_own_request_metrics_by_status(dsn, simulator_url, run_cli, tmp_path):
    before = served(simulator_url)
    worker = subprocess.Popen([*CLI, "worker", "--concurrency", "4", "--metrics-port", "0"],
                              env=cli_env(dsn, simulator_url, tmp_path), stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    try:
        line = worker.stdout.readline().strip()
        assert line.startswith("worker metrics on "), line
        metrics_url = line.rsplit(" ", 1)[-1]
        planned = run_cli(["run", "backfill", "--start", "2024-04-15", "--end", "2024-04-17"], dsn, simulator_url)
        assert planned.returncode == 0, planned.stderr

        def run_ended() -> bool:
            with psycopg.connect(dsn) as conn:
                return conn.execute("select status from ops.pipeline_runs").fetchone()[0] != "running"

        wait_until(run_ended, 120, "the worker to finish the run")
        text = get(metrics_url).decode()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    want = served(simulator_url) - before
    samples = [sample for family in text_string_to_metric_families(text) for sample in family.samples]
    requests = {(s.labels["endpoint"], s.labels["status"]): s.value for s in samples
                if s.name == "pipeline_http_requests_total"}
    assert sum(requests.values()) == want, "the worker counted every request the simulator served"
    assert {status for _, status in requests} == {"200"}
    assert {endpoint for endpoint, _ in requests} == {"/api/v1/schedule", "/api/v1/teams",
                                                     "/api/v1/game/{id}/boxscore"}
    timed = sum(s.value for s in samples if s.name == "pipeline_http_request_duration_seconds_count")
    assert timed == want, "and timed each one"
