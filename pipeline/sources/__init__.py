"""Sources: the `Source` protocol (everything the core asks of a source) and the registry.

A source is a package under `pipeline.sources` exposing `SOURCE`, a module named in
`PIPELINE_SOURCES` (comma-separated import paths, each exposing `SOURCE`), or an object
passed to `register()`. Its SQL lives in its own `sql` tree (`staging/<name>/`,
`curated/<name>/`, `quality/<name>/`, `reports/<name>/`): which staging and curated files
run, and in what order, comes from those files' headers. Its own application queries
(`queries`) may include `freshness_newest` (when its newest final item reached staging:
pipeline.freshness reads it for health, metrics and alerts). Adding a source touches no
core module.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from pipeline.errors import PipelineError
from pipeline.partition import Partition
from pipeline.sqlfiles import SqlTree

if TYPE_CHECKING:
    from pipeline.extract import ExtractContext

__all__ = ["Partition", "Source", "all_sources", "available", "get", "register", "unregister"]


@runtime_checkable
class Source(Protocol):
    name: str
    default_base_url: str
    concurrency: int  # requests in flight at once per worker process
    rate_limit: float  # requests/s shared by all workers (settings override it; 0 = none)
    rate_burst: float
    raw_tables: tuple[str, ...]  # raw.<table> it lands into, named <source>_<endpoint>
    # which partition endpoint's staging reads each raw table
    table_endpoints: Mapping[str, str]
    # endpoints keyed by a day of play; the others are keyed by a season's first day
    dated_endpoints: tuple[str, ...]
    # the endpoint incremental and lookback runs plan one partition per date of
    window_endpoint: str
    # endpoints whose partitions go through the checks in quality/<name>/ after staging
    checked_endpoints: tuple[str, ...]
    # per endpoint, queries (of `queries`) that fingerprint and quarantine raw versions
    raw_shapes: Mapping[str, Sequence[str]]
    sql: SqlTree  # its staging/curated/quality/reports files
    queries: SqlTree  # its own application queries (what to fetch, window bounds ...)

    def plan(self, start: date, end: date) -> list[Partition]: ...

    def season_window(self, season: int) -> tuple[date, date]: ...

    async def extract(self, partition: Partition, ctx: ExtractContext) -> None: ...

    async def extract_window(self, start: date, end: date, mode: str,
                             ctx: ExtractContext) -> dict[date, tuple[int, int]]:
        """Incremental/lookback: land a window of dates; per date (items tried, failed)."""
        ...

    async def window_start(self, conn, today: date, overlap_days: int) -> date:
        """The first date an incremental run up to `today` must read."""
        ...

    async def staged_scope(self, conn) -> tuple[list[date], list[int]]:
        """Every date and season staging holds: the scope of a full curated rebuild."""
        ...


_registered: dict[str, Source] = {}
_configured: set[str] = set()


def register(source: Source) -> Source:
    """Make `source` known to this process (a source defined outside the package)."""
    if not isinstance(source, Source):
        raise PipelineError(f"{source!r} does not implement the Source protocol")
    _registered[source.name] = source
    return source


def unregister(name: str) -> None:
    """Forget a source registered in this process (a test's own source)."""
    _registered.pop(name, None)


def _builtin() -> list[str]:
    return sorted(module.name for module in pkgutil.iter_modules(__path__) if module.ispkg)


def _load_configured() -> None:
    for path in filter(None, (part.strip() for part in os.environ.get("PIPELINE_SOURCES", "").split(","))):
        if path not in _configured:
            try:
                module = importlib.import_module(path)
            except ImportError as exc:
                raise PipelineError(f"PIPELINE_SOURCES names {path!r}, which cannot be imported: {exc}") from None
            register(module.SOURCE)
            _configured.add(path)


def available() -> list[str]:
    _load_configured()
    return sorted(set(_builtin()) | set(_registered))


def get(name: str) -> Source:
    if name not in _registered:
        if name in _builtin():
            register(importlib.import_module(f"{__name__}.{name}").SOURCE)
        else:
            _load_configured()
    if name not in _registered:
        raise PipelineError(f"unknown source {name!r} (known: {', '.join(available())})")
    return _registered[name]


def all_sources() -> list[Source]:
    return [get(name) for name in available()]
