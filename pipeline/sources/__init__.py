"""Sources are plain modules under pipeline.sources exposing `SOURCE`; adding one touches
no core module."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from pipeline.errors import PipelineError


@dataclass(frozen=True)
class Partition:
    """A unit of work: one endpoint group of a source for one logical date."""

    source: str
    endpoint: str
    key: date

    @property
    def lock(self) -> str:
        return f"{self.source}:{self.endpoint}:{self.key.isoformat()}"


class Source(Protocol):
    name: str
    default_base_url: str
    concurrency: int
    rate_limit: float
    rate_burst: float
    raw_tables: tuple[str, ...]
    transforms: dict[str, list[str]]
    curated: list[str]

    def plan(self, start: date, end: date) -> list[Partition]: ...

    def season_window(self, season: int) -> tuple[date, date]: ...

    async def extract(self, partition: Partition, ctx) -> None: ...

    # incremental/lookback: one window of dates, returns {date: (items tried, items failed)}
    async def extract_window(self, start: date, end: date, mode: str, ctx) -> dict[date, tuple[int, int]]: ...


def available() -> list[str]:
    import pipeline.sources as package

    return sorted(module.name for module in pkgutil.iter_modules(package.__path__))


def get(name: str) -> Source:
    if name not in available():
        raise PipelineError(f"unknown source {name!r} (known: {', '.join(available())})")
    return importlib.import_module(f"pipeline.sources.{name}").SOURCE
