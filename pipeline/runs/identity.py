"""Which source a run reads: its base URL (without any user:password part) and, when it is
the simulator, which simulated league (seed and season, from `/__sim/identity`). Each run
records it; a backfill against another source than the data already landed stops unless
forced, so two leagues are never merged into the same tables by mistake."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from psycopg.types.json import Jsonb

from pipeline import queries
from pipeline.config import Settings
from pipeline.http import public_url
from pipeline.errors import PipelineError
from pipeline.sources import Source

PROBE_TIMEOUT_SECONDS = 3.0


@dataclass(frozen=True)
class SourceIdentity:
    base_url: str
    simulator: dict | None  # {"seed": ..., "season": ...} when the source is the simulator

    def describe(self) -> str:
        if self.simulator:
            return f"the simulator at {self.base_url} (seed {self.simulator['seed']}, season {self.simulator['season']})"
        return self.base_url

    def same_data_as(self, other: SourceIdentity) -> bool:
        """The simulator: the same league whatever its port; any other API: the same URL."""
        if self.simulator or other.simulator:
            return self.simulator == other.simulator
        return self.base_url == other.base_url


def configured_url(source: Source, settings: Settings) -> str:
    return str(settings.source_setting(source.name, "base_url", source.default_base_url))


async def source_identity(source: Source, settings: Settings) -> SourceIdentity:
    """The source as configured; asks `/__sim/identity` of any base URL but the source's
    public default (a real API answers 404 there: no identity)."""
    url = configured_url(source, settings)
    simulator = None
    if public_url(url) != public_url(source.default_base_url):
        try:
            async with httpx.AsyncClient(timeout=PROBE_TIMEOUT_SECONDS) as client:
                response = await client.get(f"{url.rstrip('/')}/__sim/identity")
            if response.status_code == 200 and response.json().get("simulator"):
                simulator = {"seed": response.json()["seed"], "season": response.json()["season"]}
        except (httpx.HTTPError, ValueError):
            simulator = None  # not the simulator, or not reachable yet: the run will say so
    return SourceIdentity(public_url(url), simulator)


async def check_landed(conn, source: Source, identity: SourceIdentity) -> None:
    """Refuse a source other than the one the landed data came from."""
    cursor = await queries.execute_async(conn, "source_identity_landed", {"source": source.name})
    row = await cursor.fetchone()
    if row is None:
        return
    run_id, url, recorded = row
    landed = SourceIdentity(url, recorded.get("simulator") if recorded else None)
    if not identity.same_data_as(landed):
        raise PipelineError(f"the data landed for {source.name} came from {landed.describe()} (run {run_id}), "
                            f"not {identity.describe()}: use a fresh database, or --force to mix them")


async def record(conn, run_id: int, identity: SourceIdentity) -> None:
    await queries.execute_async(conn, "run_set_source", {
        "run_id": run_id, "source_url": identity.base_url,
        "source_identity": Jsonb({"simulator": identity.simulator}),
    })
