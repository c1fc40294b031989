"""Fault injection for the simulator: a share of requests fail the way real APIs fail,
and an optional outage window fails every request.

Which request fails, and how, is deterministic: the n-th request for a given URL fails
when a hash of (seed, URL, n) falls under the fault rate, so a re-run with the same seed
meets the same faults whatever the order of requests. Faults that need the socket
(timeouts, connection resets, a body cut short) are played by the HTTP server; the
in-process transport raises the httpx error a client would see. With no FaultPlan the
simulator answers exactly as without this module.
"""

from __future__ import annotations

import hashlib
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx

KINDS = ("429", "500", "503", "timeout", "reset", "truncated", "malformed")
HTML_ERROR = b"<html><body><h1>502 Bad Gateway</h1></body></html>"


def parse_outage(text: str) -> tuple[float, float]:
    """'START:END' seconds after the first request, e.g. '2:6'."""
    start, _, end = text.partition(":")
    try:
        window = (float(start), float(end))
    except ValueError:
        raise ValueError(f"--outage wants START:END in seconds, got {text!r}") from None
    if window[1] <= window[0] or window[0] < 0:
        raise ValueError(f"--outage {text!r}: END must come after START, both >= 0")
    return window


@dataclass
class FaultPlan:
    rate: float = 0.0
    seed: int = 0
    kinds: tuple[str, ...] = KINDS
    outage: tuple[float, float] | None = None  # seconds after the first API request
    retry_after: int = 1  # the Retry-After of a 429
    stall_seconds: float = 5.0  # how long a 'timeout' keeps the client waiting
    latency_seconds: float = 0.0  # added to every API answer (benchmarks)
    # path -> kind, applied to every request of that path until removed (tests)
    always: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)} (known: {', '.join(KINDS)})")
        if not 0 <= self.rate <= 1:
            raise ValueError(f"the fault rate must be between 0 and 1, got {self.rate}")
        self._lock = threading.Lock()
        self._seen: Counter = Counter()
        self._counts: Counter = Counter()
        self._first_request_at: float | None = None

    def decide(self, path: str, query: dict[str, str]) -> str | None:
        """The fault to play for this request, or None to answer normally."""
        url = f"{path}?{urlencode(sorted(query.items()))}"
        with self._lock:
            nth = self._seen[url]
            self._seen[url] += 1
            if self._first_request_at is None:
                self._first_request_at = time.monotonic()
            elapsed = time.monotonic() - self._first_request_at
        kind = self.always.get(path)
        if kind is None and self.outage and self.outage[0] <= elapsed < self.outage[1]:
            kind = "outage"
        if kind is None and self.rate > 0:
            digest = hashlib.sha256(f"{self.seed}:{url}:{nth}".encode()).digest()
            draw = int.from_bytes(digest[:8], "big") / 2**64
            if draw < self.rate:
                kind = self.kinds[int.from_bytes(digest[8:12], "big") % len(self.kinds)]
        if kind is not None:
            with self._lock:
                self._counts[kind] += 1
        return kind

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)


def http_answer(kind: str, status: int, headers: dict[str, str], body: bytes,
                plan: FaultPlan) -> tuple[int, dict[str, str], bytes]:
    """The faults an HTTP answer can carry: error statuses, a bad body."""
    error_headers = {"Content-Type": "application/json;charset=UTF-8"}
    if kind == "429":
        return 429, {**error_headers, "Retry-After": str(plan.retry_after)}, b'{"message":"Too Many Requests"}'
    if kind in ("500", "503", "outage"):
        code = 500 if kind == "500" else 503
        return code, error_headers, b'{"message":"Service Unavailable"}'
    if kind == "malformed":
        return 200, {"Content-Type": "text/html"}, HTML_ERROR
    if kind == "404":
        return 404, error_headers, b'{"messageNumber":10,"message":"Object not found"}'
    if kind == "truncated":  # the in-process transport: a body cut short, length to match
        return status, headers, body[: len(body) // 2]
    return status, headers, body


def play_on_socket(handler, kind: str, status: int, headers: dict[str, str], body: bytes,
                   plan: FaultPlan) -> bool:
    """Faults that need the socket, played by the HTTP server's handler; True when played."""
    if kind == "timeout":
        time.sleep(plan.stall_seconds)
        handler.close_connection = True
        return True
    if kind == "reset":  # RST instead of an answer: SO_LINGER with a zero timeout
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.close_connection = True
        return True
    if kind == "truncated":  # promise the whole body, send half, hang up
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body[: len(body) // 2])
        handler.wfile.flush()
        handler.close_connection = True
        return True
    return False


def transport_error(kind: str, request: httpx.Request) -> httpx.TransportError | None:
    """What an httpx client sees for a socket fault, for the in-process transport."""
    if kind == "timeout":
        return httpx.ReadTimeout("simulated timeout", request=request)
    if kind == "reset":
        return httpx.ReadError("simulated connection reset", request=request)
    return None
