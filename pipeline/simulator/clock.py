"""The simulator's notion of time: on a given `today`, games dated before it are final,
games dated `today` are in progress, later games are scheduled.

Without a clock (`today` None, the default) the whole season is over and every answer is
exactly what it was before the clock existed. A rained-out game shows as an ordinary
scheduled game on its original date until that date arrives; its make-up entry appears
only once the postponement is known.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from .season import Game, Season

LIVE_INNINGS = 5  # an in-progress game shows the score after this many innings
_LIVE = {"abstractGameState": "Live", "codedGameState": "I", "detailedState": "In Progress", "statusCode": "I",
         "startTimeTBD": False, "abstractGameCode": "L"}
_PREVIEW = {"abstractGameState": "Preview", "codedGameState": "S", "detailedState": "Scheduled", "statusCode": "S",
            "startTimeTBD": False, "abstractGameCode": "P"}


def game_state(game: Game, today: dt.date | None) -> str:
    """'final', 'live' or 'preview' for a game played on game.day."""
    if today is None or game.day < today:
        return "final"
    return "live" if game.day == today else "preview"


def _unplayed(entry: dict[str, Any], status: dict[str, Any]) -> None:
    entry["status"] = dict(status)
    entry.pop("isTie", None)
    for side in entry["teams"].values():
        side.pop("score", None)
        side.pop("isWinner", None)


def _live(entry: dict[str, Any], game: Game) -> None:
    _unplayed(entry, _LIVE)
    entry["teams"]["away"]["score"] = sum(game.away_line[:LIVE_INNINGS])
    entry["teams"]["home"]["score"] = sum(game.home_line[:LIVE_INNINGS])


def _entry_at(entry: dict[str, Any], game: Game, day: dt.date, today: dt.date) -> dict[str, Any] | None:
    """The entry as it reads on `today`, or None when it is not known yet."""
    if entry["status"].get("codedGameState") == "D":  # the original date of a rained-out game
        if day < today:
            return entry
        entry["officialDate"] = day.isoformat()
        for key in ("rescheduleDate", "rescheduleGameDate"):
            entry.pop(key, None)
        _unplayed(entry, _PREVIEW)
        return entry
    if game.postponed_day is not None and game.postponed_day >= today:
        return None  # the make-up is not scheduled before the rain-out happened
    state = game_state(game, today)
    if state == "live":
        _live(entry, game)
    elif state == "preview":
        _unplayed(entry, _PREVIEW)
    return entry


def schedule_at(body: dict[str, Any], season: Season, today: dt.date) -> dict[str, Any]:
    """A /schedule response as it reads on `today` (a new dict; `body` is not changed)."""
    out = copy.deepcopy(body)
    dates = []
    for date_entry in out["dates"]:
        day = dt.date.fromisoformat(date_entry["date"])
        games = []
        for entry in date_entry["games"]:
            game = season.game(entry["gamePk"])
            kept = _entry_at(entry, game, day, today) if game is not None else entry
            if kept is not None:
                games.append(kept)
        if games:
            live = sum(1 for g in games if g["status"]["abstractGameState"] == "Live")
            date_entry.update(totalItems=len(games), totalGames=len(games), totalGamesInProgress=live, games=games)
            dates.append(date_entry)
    total = sum(d["totalGames"] for d in dates)
    out.update(totalItems=total, totalGames=total,
               totalGamesInProgress=sum(d["totalGamesInProgress"] for d in dates), dates=dates)
    return out
