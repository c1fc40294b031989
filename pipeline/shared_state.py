"""One autocommit connection a worker process's HTTP clients share for the small, frequent
statements of the rate limiter and the circuit breaker: the state every worker on every
host shares through the database."""

from __future__ import annotations

import asyncio

import psycopg

from pipeline import queries
from pipeline.db import connect_async


class SharedConnection:
    """One autocommit connection a worker process's HTTP clients share for the small,
    frequent statements of the rate limiter and the circuit breaker. Opened on first use,
    reopened after a failure; callers take turns (each statement takes well under a ms)."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self._conn: psycopg.AsyncConnection | None = None
        self._lock: asyncio.Lock | None = None

    async def fetch(self, name: str, params: dict) -> list[tuple]:
        """Run the SQL file `name`; returns its rows (empty for a statement without)."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._conn is None or self._conn.closed:
                self._conn = await connect_async(self.dsn, autocommit=True)
            try:
                cursor = await queries.execute_async(self._conn, name, params)
                return await cursor.fetchall() if cursor.description else []
            except psycopg.OperationalError:
                await self._conn.close()
                self._conn = None
                raise

    async def aclose(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None
