"""`pipeline serve`'s HTTP surface without a database: the page and its assets ship in the
package and name nothing outside it; /health and /metrics say the database is down."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from importlib import resources

import pytest

from pipeline.observe.http_metrics import endpoint_of
from pipeline.observe.server import make_server
from pipeline.ops_settings import HealthThresholds

DOWN = "postgresql://nobody@127.0.0.1:1/nothing"


@pytest.fixture(scope="module")
def base_url():
    server = make_server("127.0.0.1", 0, DOWN, HealthThresholds())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_the_page_and_its_assets_are_served_from_the_package(base_url):
    status, kind, body = fetch(base_url + "/")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    assert b'src="/static/dashboard.js"' in body and b'href="/static/dashboard.css"' in body
    status, kind, _ = fetch(base_url + "/static/dashboard.js")
    assert (status, kind) == (200, "text/javascript; charset=utf-8")


def test_no_asset_reaches_outside_the_server():
    static = resources.files("pipeline.observe") / "static"
    for asset in static.iterdir():
        text = asset.read_text()
        assert "http://" not in text.replace("http://www.w3.org/2000/svg", "") and "https://" not in text, \
            f"{asset.name} names an outside URL (no CDN: the page works offline)"


@pytest.mark.parametrize("path", ["/static/../server.py", "/static/%2e%2e/server.py", "/static/nope.js", "/admin"])
def test_unknown_paths_are_404(base_url, path):
    assert fetch(base_url + path)[0] == 404


def test_health_and_metrics_say_the_database_is_down(base_url):
    status, kind, body = fetch(base_url + "/health")
    assert (status, kind) == (503, "application/json")
    verdict = json.loads(body)
    assert verdict["status"] == "not ready" and verdict["reasons"][0].startswith("database: unreachable")
    status, _, body = fetch(base_url + "/metrics")
    assert status == 200 and b"pipeline_database_up 0.0" in body


def test_ids_in_paths_fold_into_one_endpoint_label():
    assert endpoint_of("/api/v1.1/game/745123/feed/live") == "/api/v1.1/game/{id}/feed/live"
    assert endpoint_of("/api/v1/game/745123/boxscore") == "/api/v1/game/{id}/boxscore"
    assert endpoint_of("/api/v1/schedule") == "/api/v1/schedule"
