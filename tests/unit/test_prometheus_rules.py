"""deploy/prometheus/alerts.yml passes `promtool check rules` and its unit tests
(`promtool test rules`), and every metric it uses is one `pipeline serve` exposes."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from tests.binaries import require

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
OBSERVE = Path(__file__).resolve().parents[2] / "pipeline" / "observe"


def exposed_metrics() -> set[str]:
    text = (OBSERVE / "metrics.py").read_text() + (OBSERVE / "http_metrics.py").read_text()
    names = set(re.findall(r'"(pipeline_[a-z_]+)"', text))
    counters = {"pipeline_jobs", "pipeline_requests", "pipeline_bytes_landed", "pipeline_rows_written",
                "pipeline_job_seconds", "pipeline_job_retries", "pipeline_http_requests"}
    histograms = {"pipeline_job_duration_seconds", "pipeline_http_request_duration_seconds"}
    return ((names - counters - histograms) | {f"{name}_total" for name in counters}
            | {f"{name}_{part}" for name in histograms for part in ("bucket", "count", "sum")} | {"up"})


def test_promtool_checks_the_rules():
    promtool = require("promtool", "prometheus")
    result = subprocess.run([promtool, "check", "rules", "alerts.yml"], cwd=DEPLOY / "prometheus",
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_unit_tests_pass():
    promtool = require("promtool", "prometheus")
    result = subprocess.run([promtool, "test", "rules", "alerts_test.yml"], cwd=DEPLOY / "prometheus",
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_rules_and_dashboard_use_only_exposed_metrics():
    exposed = exposed_metrics()
    rules = set(re.findall(r"\b(pipeline_[a-z_]+|up)\{", (DEPLOY / "prometheus" / "alerts.yml").read_text()))
    rules |= set(re.findall(r"\b(pipeline_[a-z_]+)\b", (DEPLOY / "prometheus" / "alerts.yml").read_text()))
    assert rules - exposed == set()
    dashboard = json.loads((DEPLOY / "grafana" / "pipeline.json").read_text())
    exprs = " ".join(target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", []))
    assert re.findall(r"\b(pipeline_[a-z_]+)", exprs), "the Grafana dashboard queries the pipeline's metrics"
    assert set(re.findall(r"\b(pipeline_[a-z_]+)", exprs)) - exposed == set()
