"""`pipeline sql lint`: sqlfluff (postgres dialect, jinja templater) over SQL templates as
a job would render them.

sqlfluff cannot lint these files as they are on disk: they mix Jinja with `%(name)s`
placeholders (sqlfluff issues 714 and 5675). So each placeholder is first replaced by an
example value: the one the file's `-- params:` header gives (`limit = 10`), else the
parameter's name as a string literal, which parses wherever a bound value can stand. The
header's values are also the Jinja context (`{{ table | ident }}`; a list in brackets,
`columns = [raw_id, payload]`, for a loop over names). Then sqlfluff's own
jinja templater renders the file (macros included) and keeps the map from rendered text
to source lines, and every finding is reported at its line and column in the file on disk."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2

# sqlfluff narrates every rule (and its import) at INFO; the findings are what we print
logging.getLogger("sqlfluff").setLevel(logging.WARNING)

from sqlfluff.core import FluffConfig, Linter  # noqa: E402
from sqlfluff.core.plugin import hookimpl  # noqa: E402
from sqlfluff.core.plugin.host import get_plugin_manager  # noqa: E402
from sqlfluff.core.templaters import JinjaTemplater  # noqa: E402

from pipeline.config import PACKAGE_DIR  # noqa: E402
from pipeline.errors import PipelineError  # noqa: E402
from pipeline.sqlfiles import SqlFile, SqlTree, ident_filter, read_header  # noqa: E402

# `%(name)s`, and `%({{ slice_param }})s` in a macro
_PARAM = re.compile(r"%\((.*?)\)s|%%")


def config_path() -> Path:
    """The project's `.sqlfluff`: at the top of a checkout, inside the package in a wheel."""
    installed = PACKAGE_DIR / "_resources" / ".sqlfluff"
    return installed if installed.is_file() else PACKAGE_DIR.parent / ".sqlfluff"


class PipelineTemplater(JinjaTemplater):
    """sqlfluff's jinja templater with the `ident` filter the SQL trees use."""

    name = "pipeline"

    def _get_jinja_env(self, config=None):
        env = super()._get_jinja_env(config)
        env.filters["ident"] = _lenient_ident
        env.loader = _ExampleValuesLoader(env.loader)
        return env

    def get_context(self, fname=None, config=None, **kwargs):
        """The header's example values are the Jinja context too (`{{ table | ident }}`)."""
        context = super().get_context(fname, config, **kwargs)
        if fname and Path(fname).is_file():
            context.update(SqlFile("", Path(fname), read_header(Path(fname))).params)
        return context


def _lenient_ident(value):
    """`ident` for a value the file's header gives; an undeclared one is rendered by name."""
    return ident_filter(value) if isinstance(value, str) else value


class _ExampleValuesLoader(jinja2.BaseLoader):
    """Loads the files a template imports (macros) with their placeholders replaced too."""

    def __init__(self, loader: jinja2.BaseLoader) -> None:
        self.loader = loader

    def get_source(self, environment, template):
        source, filename, uptodate = self.loader.get_source(environment, template)
        return substitute_params(source, {})[0], filename, uptodate


class _Plugin:
    @staticmethod
    @hookimpl
    def get_templaters() -> list[type]:
        return [PipelineTemplater]


@dataclass(frozen=True)
class Finding:
    name: str
    path: Path
    line: int
    column: int
    code: str
    description: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.description}"


def sql_literal(value: str | int | list[str | int]) -> str:
    if isinstance(value, list):  # a header's list, bound as an array
        return "array[" + ", ".join(sql_literal(item) for item in value) + "]"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def substitute_params(text: str, params: dict[str, str | int | list[str | int]],
                      ) -> tuple[str, dict[int, list[tuple[int, int]]]]:
    """`text` with each `%(name)s` replaced by an example literal, and per line (1-based)
    the (column after the replacement, columns it added) shifts to map findings back."""
    shifts: dict[int, list[tuple[int, int]]] = {}
    lines = []
    for number, line in enumerate(text.split("\n"), start=1):
        out, last, added = "", 0, 0
        for match in _PARAM.finditer(line):
            name = match.group(1)
            if name is None:  # `%%`, a literal percent sign to the driver
                literal = "%"
            else:
                literal = sql_literal(params.get(name, name if re.fullmatch(r"\w+", name) else "value"))
            out += line[last:match.start()] + literal
            last = match.end()
            added += len(literal) - (match.end() - match.start())
            shifts.setdefault(number, []).append((len(out), added))
        lines.append(out + line[last:])
    return "\n".join(lines), shifts


def _source_column(line: int, column: int, shifts: dict[int, list[tuple[int, int]]]) -> int:
    """A 1-based column of the substituted text as a column of the file on disk."""
    moved = 0
    for end, added in shifts.get(line, []):
        if column - 1 >= end:
            moved = added
    return max(column - moved, 1)


@lru_cache(maxsize=4)
def _linter(roots: tuple[Path, ...]) -> Linter:
    manager = get_plugin_manager()
    if not manager.is_registered(_Plugin):
        manager.register(_Plugin)
    config = FluffConfig.from_path(str(config_path().parent), plugin_manager=manager)
    config.set_value(["templater", "pipeline", "loader_search_path"], ",".join(str(root) for root in roots))
    return Linter(config=config)


def lint_file(tree: SqlTree, sql_file: SqlFile) -> list[Finding]:
    """sqlfluff's findings for one file, at their place in the file on disk."""
    text, shifts = substitute_params(sql_file.path.read_text(), sql_file.params)
    result = _linter(tuple(tree.roots)).lint_string(text, fname=str(sql_file.path))
    findings = []
    for violation in result.get_violations():
        line, column = violation.line_no, violation.line_pos
        findings.append(Finding(sql_file.name, sql_file.path, line, _source_column(line, column, shifts),
                                violation.rule_code(), violation.desc()))
    return findings


def lint_tree(tree: SqlTree, names: list[str] | None = None) -> list[Finding]:
    """Findings for every file of `tree` (or only those named)."""
    files = tree.files()
    if names:
        files = [sql_file for sql_file in files if sql_file.name in names]
    return [finding for sql_file in files for finding in lint_file(tree, sql_file)]


def lint_trees(trees: list[SqlTree], names: list[str] | None = None) -> list[Finding]:
    """Findings for the files of several trees; a NAME found in none of them is an error."""
    if names:
        known = {sql_file.name for tree in trees for sql_file in tree.files()}
        unknown = [name for name in names if name not in known]
        if unknown:
            raise PipelineError(f"no SQL file named {unknown[0]!r} (see `pipeline sql list --all`)")
    return [finding for tree in trees for finding in lint_tree(tree, names or None)]
