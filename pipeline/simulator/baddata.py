"""Bad data on purpose: `--bad-data-rate R` corrupts that fraction of box scores, so every
data-quality gate can be seen failing. Which games and which fault are deterministic from
(seed, gamePk); with the rate at 0 nothing is touched and answers stay byte-identical.

Faults, one per corrupted box score:
  negative_counts    a batter's baseOnBalls becomes negative
  hits_over_at_bats  a batter gets more hits than at-bats
  missing_player_id  a player entry loses person.id
  duplicated_player  a player of the away club is listed again on the home roster
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

FAULTS = ("negative_counts", "hits_over_at_bats", "missing_player_id", "duplicated_player")


def _draw(seed: int, game_pk: int, salt: str) -> int:
    digest = hashlib.sha256(f"{seed}:{game_pk}:{salt}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _batters(boxscore: dict[str, Any], side: str) -> list[dict[str, Any]]:
    players = boxscore["teams"][side]["players"]
    return [players[key] for key in sorted(players) if players[key].get("stats", {}).get("batting")]


def corrupt(boxscore: dict[str, Any], fault: str) -> dict[str, Any]:
    """A copy of `boxscore` with one `fault` (one of FAULTS) applied."""
    bad = copy.deepcopy(boxscore)
    if fault == "negative_counts":
        _batters(bad, "away")[0]["stats"]["batting"]["baseOnBalls"] = -2
    elif fault == "hits_over_at_bats":
        batting = _batters(bad, "home")[0]["stats"]["batting"]
        batting["hits"] = batting.get("atBats", 0) + 2
    elif fault == "missing_player_id":
        del _batters(bad, "away")[0]["person"]["id"]
    elif fault == "duplicated_player":
        player = _batters(bad, "away")[0]
        bad["teams"]["home"]["players"][f"ID{player['person']['id']}"] = copy.deepcopy(player)
    else:
        raise ValueError(f"unknown fault {fault!r} (known: {', '.join(FAULTS)})")
    return bad


class BadData:
    """Decides, per game, whether and how its box score is corrupted."""

    def __init__(self, seed: int, rate: float) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError("the bad-data rate is a fraction between 0 and 1")
        self.seed, self.rate = seed, rate

    def fault_for(self, game_pk: int) -> str | None:
        if _draw(self.seed, game_pk, "bad") / 2**64 >= self.rate:
            return None
        return FAULTS[_draw(self.seed, game_pk, "fault") % len(FAULTS)]

    def apply(self, game_pk: int, body: bytes) -> bytes:
        fault = self.fault_for(game_pk)
        if fault is None:
            return body
        bad = corrupt(json.loads(body), fault)
        return json.dumps(bad, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
