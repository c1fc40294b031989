"""A circuit breaker per source, shared by every worker through one row of
ops.circuit_breakers.

Closed: requests go; consecutive failures (connection errors, timeouts, 5xx) are counted
and at the threshold the breaker opens. Open: no request goes until the cool-down ends;
callers get SourceUnavailable with the time to wait, and the job retries then (a scheduled
procrastinate retry, not a loop). After the cool-down one caller is the half-open probe:
its success closes the breaker, its failure opens it for another cool-down. Each
transition is one atomic statement (pipeline/queries/breaker_admit.sql, breaker_record.sql).
"""

from __future__ import annotations

from pipeline.shared_state import SharedConnection


class SourceUnavailable(Exception):
    """The source's breaker is open: do not call it; try again after `wait_seconds`."""

    def __init__(self, source: str, wait_seconds: float, last_error: str | None = None) -> None:
        super().__init__(f"the circuit breaker of {source} is open after repeated failures"
                         + (f" (the last: {last_error})" if last_error else ""))
        self.source = source
        self.wait_seconds = wait_seconds


class CircuitBreaker:
    def __init__(self, state: SharedConnection, source: str, failure_threshold: int, cooldown_seconds: float) -> None:
        self.state = state
        self.source = source
        self.failure_threshold = failure_threshold
        self.cooldown_seconds = cooldown_seconds
        self._configured = False

    async def admit(self) -> None:
        """Return when a request may go; raise SourceUnavailable when it may not."""
        if not self._configured:
            await self.state.fetch("breaker_configure", {
                "source": self.source, "failure_threshold": self.failure_threshold,
                "cooldown_seconds": self.cooldown_seconds,
            })
            self._configured = True
        rows = await self.state.fetch("breaker_admit", {"source": self.source})
        if rows and not rows[0][0]:
            raise SourceUnavailable(self.source, float(rows[0][1]), rows[0][2])

    async def record(self, succeeded: bool, error: str | None = None) -> None:
        await self.state.fetch("breaker_record", {"source": self.source, "succeeded": succeeded, "error": error})
