"""Settings from the environment (DATABASE_URL, PIPELINE_*) and an optional pipeline.toml."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Where the `sql/` or `migrations/` tree is: beside the package in a checkout,
    inside it (`_resources/`) in an installed wheel."""
    installed = PACKAGE_DIR / "_resources" / name
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / name


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    home: Path
    worker_concurrency: int = 4
    log_format: str = "auto"
    sources: dict[str, dict] = field(default_factory=dict)

    def source_setting(self, source: str, key: str, default: str | None = None) -> str | None:
        env = os.environ.get(f"PIPELINE_{source.upper()}_{key.upper()}")
        if env:
            return env
        return self.sources.get(source, {}).get(key, default)


def load_settings() -> Settings:
    """Environment wins over pipeline.toml, which wins over defaults."""
    toml_path = Path(os.environ.get("PIPELINE_CONFIG", "pipeline.toml"))
    file_settings: dict = {}
    if toml_path.is_file():
        file_settings = tomllib.loads(toml_path.read_text())
    section = file_settings.get("pipeline", {})
    home = Path(os.environ.get("PIPELINE_HOME") or section.get("home") or ".pipeline")
    concurrency = os.environ.get("PIPELINE_WORKER_CONCURRENCY") or section.get("worker_concurrency", 4)
    return Settings(
        database_url=os.environ.get("DATABASE_URL") or section.get("database_url") or None,
        home=home.resolve(),
        worker_concurrency=int(concurrency),
        log_format=os.environ.get("PIPELINE_LOG_FORMAT") or section.get("log_format", "auto"),
        sources=file_settings.get("sources", {}),
    )
