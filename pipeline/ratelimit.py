"""A token bucket per source, shared by every worker on every host through one row of
ops.rate_limits: together they never exceed the source's rate.

Each take is one atomic UPDATE (pipeline/queries/rate_limit_take.sql): the row is refilled for the
time since the last take and one token is taken, even one not yet there. The caller then
sleeps until its token is due. Reserving instead of polling keeps the bucket busy (a token
is used the moment it exists, in the order it was asked for) and costs one statement per
request, never a retry loop.
"""

from __future__ import annotations

import asyncio

from pipeline.shared_state import SharedConnection


class RateLimiter:
    def __init__(self, state: SharedConnection, source: str, rate_per_second: float, burst: float) -> None:
        self.state = state
        self.source = source
        self.rate_per_second = rate_per_second
        self.burst = max(1.0, burst)
        self._configured = False
        self.waited_seconds = 0.0

    async def acquire(self) -> float:
        """Take a token, waiting until it is due; returns the seconds waited."""
        if not self._configured:
            await self.state.fetch("rate_limit_configure", {
                "source": self.source, "rate_per_second": self.rate_per_second, "burst": self.burst,
            })
            self._configured = True
        rows = await self.state.fetch("rate_limit_take", {"source": self.source})
        wait = float(rows[0][0]) if rows else 0.0
        if wait > 0:
            self.waited_seconds += wait
            await asyncio.sleep(wait)
        return wait
