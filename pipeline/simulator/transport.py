"""In-process httpx transport: `httpx.Client(transport=SimulatorTransport(sim), base_url="http://sim")`."""

from __future__ import annotations

import httpx

from . import faults as fault_injection
from .api import Simulator


class SimulatorTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Serves both sync and async httpx clients straight from a `Simulator`, no sockets."""

    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator

    def _respond(self, request: httpx.Request) -> httpx.Response:
        query = dict(request.url.params.multi_items())  # a repeated key keeps its last value
        plan = self.simulator.faults
        fault = plan.decide(request.url.path, query) if plan and not request.url.path.startswith("/__sim") else None
        status, headers, body = self.simulator.handle(request.method, request.url.path, query, dict(request.headers),
                                                       request.content or None)
        if fault:
            error = fault_injection.transport_error(fault, request)
            if error is not None:
                raise error
            status, headers, body = fault_injection.http_answer(fault, status, headers, body, plan)
        if request.method.upper() == "HEAD":
            body = b""
        return httpx.Response(status, headers=headers, content=body, request=request)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        return self._respond(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self._respond(request)
