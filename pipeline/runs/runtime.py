"""The Runtime a worker process of this pipeline runs with: the jobs' shared state, plus
the run planner its schedule tick fires schedules with."""

from __future__ import annotations

import httpx

from pipeline.config import Settings
from pipeline.jobs.app import Runtime
from pipeline.runs.schedules import fire_due


def worker_runtime(dsn: str, settings: Settings, transport: httpx.AsyncBaseTransport | None = None) -> Runtime:
    return Runtime(dsn, settings, transport=transport, fire_schedules=fire_due)
