"""Settings from the environment (DATABASE_URL, PIPELINE_*) and an optional pipeline.toml,
validated once at start (pydantic): an unknown key in the file or a bad value anywhere is
one `SettingsError` naming the key, before anything runs. Secrets (the database URL) are
never part of a message or a repr."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent


class SettingsError(ValueError):
    """A bad setting, named in the message (the CLI shows it as one `Error:` line)."""


def resource_dir(name: str) -> Path:
    """Where the `sql/` or `migrations/` tree is: beside the package in a checkout,
    inside it (`_resources/`) in an installed wheel."""
    installed = PACKAGE_DIR / "_resources" / name
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / name


class PipelineSection(BaseModel):
    """`[pipeline]` of pipeline.toml; also DATABASE_URL and PIPELINE_<KEY> in the environment."""

    model_config = ConfigDict(extra="forbid")
    database_url: str | None = None
    home: Path | None = None
    worker_concurrency: pydantic.PositiveInt | None = None
    log_format: Literal["auto", "json", "text"] | None = None
    raw_retention_days: pydantic.PositiveInt | None = None
    archive_dir: Path | None = None


class SourceSection(BaseModel):
    """`[sources.<name>]` of pipeline.toml; also PIPELINE_<NAME>_<KEY> in the environment."""

    model_config = ConfigDict(extra="forbid")
    base_url: pydantic.HttpUrl | None = None
    rate_limit: pydantic.NonNegativeFloat | None = None
    rate_burst: pydantic.PositiveFloat | None = None
    breaker_threshold: pydantic.NonNegativeInt | None = None
    breaker_cooldown: pydantic.NonNegativeFloat | None = None
    timeout: pydantic.PositiveFloat | None = None
    max_attempts: pydantic.PositiveInt | None = None
    # the limits of one request (see pipeline.http.request_limits, which checks their ranges)
    request_deadline: pydantic.PositiveFloat | None = None
    max_body_mb: pydantic.PositiveFloat | None = None
    max_depth: pydantic.PositiveInt | None = None


class FileSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pipeline: PipelineSection = PipelineSection()
    sources: dict[str, SourceSection] = {}
    # read and checked by pipeline.ops_settings (environment first, then these tables)
    health: dict[str, Any] = {}
    alerts: dict[str, Any] = {}


SECRET_KEYS = frozenset({"database_url"})
_PIPELINE_ENV = {"DATABASE_URL": "database_url", **{
    f"PIPELINE_{key.upper()}": key for key in PipelineSection.model_fields if key != "database_url"}}
_SOURCE_ENV = re.compile(r"^PIPELINE_([A-Z0-9]+)_(" + "|".join(k.upper() for k in SourceSection.model_fields) + ")$")


@dataclass(frozen=True)
class Settings:
    database_url: str | None = field(repr=False)  # a secret: may hold a password
    home: Path
    worker_concurrency: int = 4
    log_format: str = "auto"
    sources: dict[str, dict] = field(default_factory=dict)
    raw_retention_days: int | None = None
    archive_dir: Path | None = None

    def source_setting(self, source: str, key: str, default: str | None = None) -> str | None:
        """A source's setting: the environment (read now, checked), else pipeline.toml, else `default`."""
        name = f"PIPELINE_{source.upper()}_{key.upper()}"
        env = os.environ.get(name)
        if env:
            _checked(SourceSection, {key: env}, name)
            return env
        return self.sources.get(source, {}).get(key, default)


def _describe(error: dict, where: str, secret: bool, value) -> str:
    # a URL's user:password part is a secret too
    what = "a value" if secret else repr(re.sub(r"//[^/@]*@", "//***@", value) if isinstance(value, str) else value)
    return f"{where}: {what} is not valid ({error['msg'].lower()})"


def _checked(model: type[BaseModel], values: dict, where_of) -> BaseModel:
    """`model` validated from `values`; the first problem is one SettingsError naming its key
    (`where_of`: the name to show, or a function of the key)."""
    try:
        return model.model_validate(values)
    except pydantic.ValidationError as exc:
        error = exc.errors()[0]
        key = str(error["loc"][0]) if error["loc"] else "?"
        where = where_of(key) if callable(where_of) else where_of
        if error["type"] == "extra_forbidden":
            known = ", ".join(model.model_fields)
            raise SettingsError(f"{where}: unknown setting (known: {known})") from None
        raise SettingsError(_describe(error, where, key in SECRET_KEYS, values.get(key))) from None


def _file_settings(path: Path) -> FileSettings:
    if not path.is_file():
        return FileSettings()
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from None
    extra = sorted(set(data) - set(FileSettings.model_fields))
    if extra:
        raise SettingsError(f"{path}: unknown section [{extra[0]}] "
                            "(known: [pipeline], [sources.<name>], [health], [alerts])")
    section = data.get("pipeline", {})
    _checked(PipelineSection, section if isinstance(section, dict) else {},
             lambda key: f"{path}: [pipeline] {key}")
    found = data.get("sources", {})
    for name, values in (found.items() if isinstance(found, dict) else []):
        _checked(SourceSection, values if isinstance(values, dict) else {},
                 lambda key, name=name: f"{path}: [sources.{name}] {key}")
    return FileSettings.model_validate(data)


def _environment() -> PipelineSection:
    values = {key: os.environ[name] for name, key in _PIPELINE_ENV.items() if os.environ.get(name)}
    names = {key: name for name, key in _PIPELINE_ENV.items()}
    section = _checked(PipelineSection, values, lambda key: names.get(key, key))
    for name, value in os.environ.items():
        match = _SOURCE_ENV.match(name)
        if match and value:
            _checked(SourceSection, {match.group(2).lower(): value}, name)
    return section


def load_settings() -> Settings:
    """Environment wins over pipeline.toml, which wins over defaults; every value checked."""
    toml_path = Path(os.environ.get("PIPELINE_CONFIG", "pipeline.toml"))
    file = _file_settings(toml_path)
    env = _environment()

    def pick(key: str, default):
        chosen = getattr(env, key)
        return chosen if chosen is not None else (getattr(file.pipeline, key) if getattr(
            file.pipeline, key) is not None else default)

    raw_sources = tomllib.loads(toml_path.read_text()).get("sources", {}) if toml_path.is_file() else {}
    return Settings(
        database_url=pick("database_url", None) or None,
        home=Path(pick("home", ".pipeline")).resolve(),
        worker_concurrency=pick("worker_concurrency", 4),
        log_format=pick("log_format", "auto"),
        sources=raw_sources,
        raw_retention_days=pick("raw_retention_days", None),
        archive_dir=pick("archive_dir", None),
    )
