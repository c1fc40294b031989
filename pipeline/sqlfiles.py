"""Finds, renders and runs the SQL templates under sql/.

Jinja decides structure only (which table, which optional block); identifiers pass the
`ident` filter, which accepts plain lowercase names and nothing else. Every value is a
bound parameter (`%(name)s`), never rendered into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from pipeline.config import resource_dir
from pipeline.errors import PipelineError

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_HEADER = re.compile(r"^--\s*(\w+):\s*(.*)$")
_PARAM = re.compile(r"%\((\w+)\)s")


def sql_root() -> Path:
    return resource_dir("sql")


def _ident(value: str) -> str:
    if not isinstance(value, str) or not _IDENTIFIER.match(value):
        raise PipelineError(f"not an allowed SQL identifier: {value!r}")
    return value


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(sql_root())),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["ident"] = _ident
    return env


@dataclass(frozen=True)
class SqlFile:
    name: str
    path: Path
    header: dict[str, str]

    @property
    def purpose(self) -> str:
        return self.header.get("purpose", "")


def _read_header(path: Path) -> dict[str, str]:
    """The `-- key: value` lines a file opens with; indented `--` lines continue a value."""
    header: dict[str, str] = {}
    key = None
    for line in path.read_text().splitlines():
        match = _HEADER.match(line)
        if match:
            key = match.group(1)
            header[key] = match.group(2).strip()
        elif key and line.startswith("--  "):
            header[key] += " " + line[2:].strip()
        else:
            break
    return header


def list_files() -> list[SqlFile]:
    root = sql_root()
    return [
        SqlFile(str(path.relative_to(root).with_suffix("")), path, _read_header(path))
        for path in sorted(root.rglob("*.sql"))
        if not path.name.startswith("_")  # macro files, imported by the others
    ]


def render(name: str, **structure: Any) -> str:
    """The exact text a job sends for `name` (e.g. 'staging/mlb/games')."""
    try:
        template = _environment().get_template(f"{name}.sql")
    except jinja2.TemplateNotFound:
        raise PipelineError(f"no SQL file named {name!r} (see `pipeline sql list`)") from None
    return template.render(**structure)


def parameters(text: str) -> list[str]:
    """Names of the values a rendered file binds, in order of first use."""
    return list(dict.fromkeys(_PARAM.findall(text)))


def execute(conn, name: str, params: dict[str, Any] | None = None, **structure: Any):
    """Render `name` and run it on a sync connection; returns the cursor."""
    return conn.execute(render(name, **structure), params or None)


async def execute_async(conn, name: str, params: dict[str, Any] | None = None, **structure: Any):
    """Render `name` and run it on an async connection; returns the cursor."""
    return await conn.execute(render(name, **structure), params or None)


async def rows_written(cursor) -> int:
    """Rows a statement wrote: its row count, or the `rows_written` column of a file that
    reports its own count (the curated files write through CTEs and end with a select)."""
    if cursor.description and cursor.description[0].name == "rows_written":
        (count,) = await cursor.fetchone()
        return int(count)
    return max(cursor.rowcount, 0)
