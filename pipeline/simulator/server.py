"""The simulator over real HTTP: `python -m pipeline.simulator --port 0`."""

from __future__ import annotations

import signal
import sys
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType
from typing import Callable
from urllib.parse import parse_qsl, urlsplit

from . import faults as fault_injection
from .api import Simulator


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], simulator: Simulator) -> None:
        self.simulator = simulator
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive; every response carries Content-Length
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass  # quiet: a pipeline run makes thousands of requests

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        payload = self.rfile.read(length) if length else None  # drained, so the connection stays usable
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))  # last value of a repeated key wins
        plan = self.server.simulator.faults
        fault = plan.decide(parts.path, query) if plan and not parts.path.startswith("/__sim") else None
        status, headers, body = self.server.simulator.handle(self.command, parts.path, query, dict(self.headers.items()),
                                                            payload)
        if plan and not parts.path.startswith("/__sim") and plan.latency_seconds:
            time.sleep(plan.latency_seconds)
        if fault:
            if fault_injection.play_on_socket(self, fault, status, headers, body, plan):
                return
            status, headers, body = fault_injection.http_answer(fault, status, headers, body, plan)
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and status != 304:
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _serve


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve(host: str = "127.0.0.1", port: int = 0, seed: int = 0, season: int = 2024,
          ready: Callable[[str], None] | None = None, today: date | None = None,
          correction_rate: float = 0.0, bad_data_rate: float = 0.0,
          faults: fault_injection.FaultPlan | None = None, cache_bytes: int = 64 << 20,
          prerender: tuple[date, date] | None = None) -> None:
    """Bind, print `simulator listening on http://HOST:PORT`, serve until SIGINT/SIGTERM.
    With `prerender`, the box scores of that range are rendered before listening."""
    simulator = Simulator(seed, season, today=today, correction_rate=correction_rate, bad_data_rate=bad_data_rate,
                          cache_bytes=cache_bytes)
    if prerender is not None:
        count, size = simulator.prerender(*prerender)
        print(f"prerendered {count} box scores ({size / 1e6:.1f} MB)", file=sys.stderr, flush=True)
    simulator.faults = faults
    server = _Server((host, port), simulator)
    url = _url(host, server.server_address[1])
    print(f"simulator listening on {url}", flush=True)
    if ready is not None:
        ready(url)

    def _terminate(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def start_in_thread(seed: int = 0, season: int = 2024, host: str = "127.0.0.1", port: int = 0,
                    simulator: Simulator | None = None) -> tuple[str, Callable[[], None]]:
    """Serve from a background thread (for tests): returns (base_url, stop)."""
    server = _Server((host, port), simulator or Simulator(seed, season))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return _url(host, server.server_address[1]), stop


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Deterministic MLB Stats API simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--season", type=int, default=2024)
    args = parser.parse_args(argv)
    serve(args.host, args.port, args.seed, args.season)


if __name__ == "__main__":
    main(sys.argv[1:])
