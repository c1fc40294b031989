"""The HTTP server of `pipeline serve`: /metrics (Prometheus), /health (JSON: 200 ready,
503 not), / (the dashboard page), /api/dashboard (its data), /static/* (its assets).
Read-only: every database session it opens is read-only."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import psycopg
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from pipeline.observe import dashboard, health, metrics
from pipeline.ops_settings import HealthThresholds

log = logging.getLogger(__name__)

TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}


def read_only(dsn: str) -> str:
    """The DSN with every transaction read-only, so the server cannot write by mistake."""
    return psycopg.conninfo.make_conninfo(dsn, options="-c default_transaction_read_only=on")


class ObserveServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], dsn: str, limits: HealthThresholds) -> None:
        super().__init__(address, Handler)
        self.dsn = dsn
        self.read_only_dsn = read_only(dsn)
        self.limits = limits
        self.registry = metrics.registry_for(self.read_only_dsn)


class Handler(BaseHTTPRequestHandler):
    server: ObserveServer

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        path = urlsplit(self.path).path
        try:
            if path == "/metrics":
                self._send(HTTPStatus.OK, CONTENT_TYPE_LATEST, generate_latest(self.server.registry))
            elif path == "/health":
                verdict = health.check_health(self.server.dsn, self.server.limits)
                status = HTTPStatus.OK if verdict.ready else HTTPStatus.SERVICE_UNAVAILABLE
                self._json(status, verdict.as_json())
            elif path == "/api/dashboard":
                with psycopg.connect(self.server.read_only_dsn, connect_timeout=5, autocommit=True) as conn:
                    self._json(HTTPStatus.OK, dashboard.dashboard_data(conn))
            elif path in ("/", "/index.html"):
                self._asset("dashboard.html")
            elif path.startswith("/static/"):
                self._asset(path.removeprefix("/static/"))
            else:
                self._json(HTTPStatus.NOT_FOUND, {"error": f"no such page: {path}"})
        except psycopg.Error as exc:
            self._json(HTTPStatus.SERVICE_UNAVAILABLE, {"error": str(exc).strip().splitlines()[0]})

    def _asset(self, name: str) -> None:
        body = dashboard.asset(name)
        if body is None:
            self._json(HTTPStatus.NOT_FOUND, {"error": f"no such asset: {name}"})
            return
        suffix = name[name.rfind("."):]
        self._send(HTTPStatus.OK, TYPES.get(suffix, "application/octet-stream"), body)

    def _json(self, status: HTTPStatus, document: dict) -> None:
        self._send(status, "application/json", json.dumps(document, default=str).encode())

    def _send(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the stdlib's signature)
        log.debug("http " + format, *args)


def make_server(host: str, port: int, dsn: str, limits: HealthThresholds) -> ObserveServer:
    return ObserveServer((host, port), dsn, limits)
