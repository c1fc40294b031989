"""Finds, renders and runs SQL templates: the analysts' tree `sql/` and any other tree
(the application's own queries, a source's queries) through the same `SqlTree`.

Jinja decides structure only (which table, which optional block); identifiers pass the
`ident` filter, which accepts plain lowercase names and nothing else. Every value is a
bound parameter (`%(name)s`), never rendered into the text.
"""

from __future__ import annotations

import contextvars
import re
import time
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import jinja2

from pipeline.config import resource_dir
from pipeline.errors import PipelineError

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_HEADER = re.compile(r"^--\s*(\w+):\s*(.*)$")
_PARAM = re.compile(r"%\((\w+)\)s")
# a comma between a header's `name = value` items (not one inside a `[a, b]` list)
_HEADER_ITEM = re.compile(r",(?![^\[]*\])")


def sql_root() -> Path:
    return resource_dir("sql")


def ident_filter(value: str) -> str:
    """The `ident` filter: a plain lowercase SQL name, or an error."""
    if not isinstance(value, str) or not _IDENTIFIER.match(value):
        raise PipelineError(f"not an allowed SQL identifier: {value!r}")
    return value


@dataclass(frozen=True)
class SqlFile:
    name: str
    path: Path
    header: dict[str, str]

    @property
    def purpose(self) -> str:
        return self.header.get("purpose", "")

    @property
    def params(self) -> dict[str, str | int | list[str | int]]:
        """Example values from the `params:` header (`name = value, ...`; a list in
        brackets, `columns = [raw_id, payload]`): what a report runs with, what
        `pipeline sql lint` renders the file with."""
        items = _HEADER_ITEM.split(self.header.get("params", ""))
        pairs = (item.split("=", 1) for item in items if "=" in item)
        return {name.strip(): _example_value(value.strip()) for name, value in pairs}

    def names(self, key: str) -> list[str]:
        """A header value that lists tables (`sources:`, `depends:`) as a list of names;
        words in parentheses are comments."""
        text = re.sub(r"\([^)]*\)", "", self.header.get(key, ""))
        return [part.strip() for part in text.split(",") if part.strip() and part.strip() != "none"]


def _example_value(text: str) -> str | int | list[str | int]:
    if text.startswith("[") and text.endswith("]"):
        return [_example_value(part.strip()) for part in text[1:-1].split(",") if part.strip()]
    return int(text) if text.isdigit() else text


def read_header(path: Path) -> dict[str, str]:
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


@dataclass
class SqlTimings:
    """How long each file took while a job ran: name -> [executions, seconds, longest]."""

    by_name: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        entry = self.by_name.setdefault(name, [0, 0.0, 0.0])
        entry[0] += 1
        entry[1] += seconds
        entry[2] = max(entry[2], seconds)


# set by the job step around a job's work; a timed tree adds each file's time to it
timings_var: contextvars.ContextVar[SqlTimings | None] = contextvars.ContextVar("sql_timings", default=None)


class SqlTree:
    """SQL templates under one folder, loaded by name (`staging/mlb/games`, `run_create`).
    Later roots are searched too, so a tree can import the macros of another. A timed
    tree records how long each file takes inside a job (`pipeline status --slow`)."""

    def __init__(self, root: Path, *fallbacks: Path, timed: bool = True) -> None:
        self.root = Path(root)
        self.roots = (self.root, *fallbacks)
        self.timed = timed

    @cached_property
    def environment(self) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(root)) for root in self.roots]),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            autoescape=False,
        )
        env.filters["ident"] = ident_filter
        return env

    def files(self, prefix: str = "") -> list[SqlFile]:
        """Every file of this tree whose name starts with `prefix` (macro files, whose
        names start with `_`, are imported by the others and left out)."""
        return [
            SqlFile(str(path.relative_to(self.root).with_suffix("")), path, read_header(path))
            for path in sorted(self.root.rglob("*.sql"))
            if not path.name.startswith("_") and str(path.relative_to(self.root)).startswith(prefix)
        ]

    def has(self, name: str) -> bool:
        """Whether a file named `name` is in this tree (or a later root)."""
        return any((root / f"{name}.sql").is_file() for root in self.roots)

    def render(self, name: str, **structure: Any) -> str:
        """The exact text a job sends for `name`."""
        try:
            template = self.environment.get_template(f"{name}.sql")
        except jinja2.TemplateNotFound:
            raise PipelineError(f"no SQL file named {name!r} (see `pipeline sql list`)") from None
        return template.render(**structure)

    def execute(self, conn, name: str, params: dict[str, Any] | None = None, **structure: Any):
        """Render `name` and run it on a sync connection; returns the cursor."""
        return conn.execute(self.render(name, **structure), params or None)

    async def execute_async(self, conn, name: str, params: dict[str, Any] | None = None, **structure: Any):
        """Render `name` and run it on an async connection; returns the cursor."""
        timings = timings_var.get() if self.timed else None
        if timings is None:
            return await conn.execute(self.render(name, **structure), params or None)
        text = self.render(name, **structure)
        started = time.perf_counter()
        cursor = await conn.execute(text, params or None)
        timings.add(name, time.perf_counter() - started)
        return cursor


@lru_cache(maxsize=1)
def analysts_tree() -> SqlTree:
    """`sql/`: staging, curated, quality and reports, by zone then source."""
    return SqlTree(sql_root())


def list_files() -> list[SqlFile]:
    return analysts_tree().files()


def render(name: str, **structure: Any) -> str:
    return analysts_tree().render(name, **structure)


def execute(conn, name: str, params: dict[str, Any] | None = None, **structure: Any):
    return analysts_tree().execute(conn, name, params, **structure)


async def execute_async(conn, name: str, params: dict[str, Any] | None = None, **structure: Any):
    return await analysts_tree().execute_async(conn, name, params, **structure)


def parameters(text: str) -> list[str]:
    """Names of the values a rendered file binds, in order of first use."""
    return list(dict.fromkeys(_PARAM.findall(text)))


async def rows_written(cursor) -> int:
    """Rows a statement wrote: its row count, or the `rows_written` column of a file that
    reports its own count (the curated files write through CTEs and end with a select)."""
    if cursor.description and cursor.description[0].name == "rows_written":
        (count,) = await cursor.fetchone()
        return int(count)
    return max(cursor.rowcount, 0)


def in_dependency_order(files: list[SqlFile], target_of) -> list[SqlFile]:
    """`files` ordered so that each runs after the files filling the tables it names in
    its `sources:` or `depends:` header (ties keep name order); a cycle is an error."""
    by_target = {target_of(sql_file): sql_file for sql_file in files}
    ordered: list[SqlFile] = []
    visiting: set[str] = set()

    def visit(sql_file: SqlFile) -> None:
        if sql_file in ordered:
            return
        if sql_file.name in visiting:
            raise PipelineError(f"{sql_file.name}: its sources/depends headers form a cycle")
        visiting.add(sql_file.name)
        for table in sql_file.names("sources") + sql_file.names("depends"):
            upstream = by_target.get(table)
            if upstream is not None and upstream is not sql_file:
                visit(upstream)
        visiting.discard(sql_file.name)
        ordered.append(sql_file)

    for sql_file in files:
        visit(sql_file)
    return ordered
