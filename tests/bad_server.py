"""A small bad HTTP server of the tests' own: it answers as the simulator does, except for
the paths it is told to spoil, each in one way an API was seen to misbehave. Real HTTP
(a socket, chunks, a slow writer), so the pipeline's own client meets what it would meet."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from pipeline.simulator import baddata
from pipeline.simulator.api import Simulator

# the ways an answer is spoiled
KINDS = ("nul", "deep", "huge", "wrong_shape", "quarantined", "blocked", "trickle", "empty_schedule", "down")
HUGE_BYTES = 50 * 1024 * 1024


def _deep(depth: int) -> bytes:
    return b'{"copyright": "x", "teams": ' + b'[' * depth + b']' * depth + b'}'


class BadServer:
    """`spoil[path] = kind` spoils a path; `requests` counts what was asked, by path."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.spoil: dict[str, str] = {}
        self.delay = 0.0  # seconds every answer waits before it starts
        self.requests: Counter = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # no Content-Length needed: the body ends with the connection

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                url = urlsplit(self.path)
                server.requests[url.path] += 1
                time.sleep(server.delay)
                try:
                    server.answer(self, url.path, dict(parse_qsl(url.query)))
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up on us: that is the point of some answers

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> BadServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, handler: BaseHTTPRequestHandler, path: str, query: dict[str, str]) -> None:
        status, _, body = self.sim.handle("GET", path, query, {})
        kind = self.spoil.get(path)
        if kind == "down":
            status, body = 503, b"down"
        elif kind == "nul":
            document = json.loads(body)
            document["teams"]["away"]["team"]["name"] = "Bad\u0000Sox"
            body = json.dumps(document).encode()
        elif kind == "deep":
            body = _deep(5000)
        elif kind == "wrong_shape":
            body = b"[1]"
        elif kind == "quarantined":
            body = json.dumps(baddata.corrupt(json.loads(body), "missing_player_id")).encode()
        elif kind == "blocked":  # stored fine, then fails an error-severity quality check
            body = json.dumps(baddata.corrupt(json.loads(body), "hits_over_at_bats")).encode()
        elif kind == "empty_schedule":
            body = json.dumps({"copyright": "x", "totalItems": 0, "totalGames": 0, "dates": []}).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()
        if kind == "huge":  # 50 MB of an answer that is JSON all the same, no Content-Length
            handler.wfile.write(b'{"copyright": "x", "dates": [], "pad": "')
            chunk = b"x" * (1024 * 1024)
            for _ in range(HUGE_BYTES // len(chunk)):
                handler.wfile.write(chunk)
            handler.wfile.write(b'"}')
        elif kind == "trickle":  # a byte every half second, for as long as anyone listens
            for index in range(120):
                handler.wfile.write(body[index:index + 1])
                handler.wfile.flush()
                time.sleep(0.5)
        else:
            handler.wfile.write(body)
