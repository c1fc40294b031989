"""The unit of work every layer speaks of: one endpoint group of a source for one logical
date (a day's games, or a season's clubs keyed by the season's first day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Partition:
    source: str
    endpoint: str
    key: date

    @property
    def lock(self) -> str:
        return f"{self.source}:{self.endpoint}:{self.key.isoformat()}"
