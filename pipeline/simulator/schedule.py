"""`/api/v1/schedule` games, including the real API's postponement bookkeeping."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .season import Game, Season
from .teams import TEAMS_BY_ID, copyright_text, team_ref, venue_ref

_FINAL = {"abstractGameState": "Final", "codedGameState": "F", "detailedState": "Final", "statusCode": "F",
          "startTimeTBD": False, "abstractGameCode": "F"}


def iso_z(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _side(g: Game, home: bool, played: bool) -> dict[str, Any]:
    team_id = g.home if home else g.away
    wins, losses = g.home_record if home else g.away_record
    side: dict[str, Any] = {"leagueRecord": {"wins": wins, "losses": losses, "pct": _pct(wins, losses)}}
    if played:
        side["score"] = g.home_score if home else g.away_score
    side["team"] = team_ref(TEAMS_BY_ID[team_id])
    if played:
        side["isWinner"] = g.winner == team_id
    side.update({"splitSquad": False, "seriesNumber": g.round + 1})
    return side


def _pct(wins: int, losses: int) -> str:
    if wins + losses == 0:
        return ".000"
    text = f"{wins / (wins + losses):.3f}"
    return text[1:] if text.startswith("0") else text


def game_entry(season: Season, g: Game, postponed: bool) -> dict[str, Any]:
    """One `dates[].games[]` item. `postponed` selects the original-date entry of a rained-out game.

    Like the real API, that entry keeps its original `gameDate` but its `officialDate` already
    points at the make-up date; the make-up entry names the original in `rescheduledFrom*`.
    """
    assert g.start is not None
    entry: dict[str, Any] = {
        "gamePk": g.pk,
        "gameGuid": g.guid,
        "link": f"/api/v1.1/game/{g.pk}/feed/live",
        "gameType": "R",
        "season": str(season.season),
        "gameDate": iso_z(g.postponed_start if postponed and g.postponed_start else g.start),
        "officialDate": g.day.isoformat(),
    }
    if postponed:
        entry["rescheduleDate"] = iso_z(g.start)
        entry["rescheduleGameDate"] = g.day.isoformat()
        entry["status"] = {"abstractGameState": "Final", "codedGameState": "D", "detailedState": "Postponed",
                           "statusCode": g.postpone_code, "startTimeTBD": False, "reason": g.postpone_reason,
                           "abstractGameCode": "F"}
    else:
        if g.postponed_day is not None and g.postponed_start is not None:
            entry["rescheduledFrom"] = iso_z(g.postponed_start)
            entry["rescheduledFromDate"] = g.postponed_day.isoformat()
        entry["status"] = dict(_FINAL)
    played = not postponed
    entry["teams"] = {"away": _side(g, False, played), "home": _side(g, True, played)}
    entry["venue"] = venue_ref(TEAMS_BY_ID[g.home])
    entry["content"] = {"link": f"/api/v1/game/{g.pk}/content"}
    if played:
        entry["isTie"] = False
    day = g.postponed_day if postponed and g.postponed_day else g.day
    entry.update({
        "gameNumber": 1 if postponed else g.game_number,
        "publicFacing": True,
        "doubleHeader": "N" if postponed else g.double_header,
        "gamedayType": "P",
        "tiebreaker": "N",
        "calendarEventID": f"14-{g.pk}-{day.isoformat()}",
        "seasonDisplay": str(season.season),
        "dayNight": g.day_night,
    })
    if g.description:
        entry["description"] = g.description
    entry.update({
        "scheduledInnings": 9,
        "reverseHomeAwayStatus": False,
        "inningBreakLength": g.inning_break,
        "gamesInSeries": g.games_in_series,
        "seriesGameNumber": g.series_game_number,
        "seriesDescription": "Regular Season",
        "recordSource": "S",
        "ifNecessary": "N",
        "ifNecessaryDescription": "Normal Game",
    })
    return entry


def schedule_response(season: Season, start: dt.date, end: dt.date, game_types: set[str] | None = None,
                      team_id: int | None = None, sport_id: int = 1) -> dict[str, Any]:
    dates = []
    if sport_id == 1 and (game_types is None or "R" in game_types):
        day = max(start, season.opening)
        last = min(end, season.last_day)
        while day <= last:
            games = [game_entry(season, g, postponed) for g, postponed in season.entries(day)
                     if team_id is None or team_id in (g.away, g.home)]
            if games:
                n = len(games)
                dates.append({"date": day.isoformat(), "totalItems": n, "totalEvents": 0, "totalGames": n,
                              "totalGamesInProgress": 0, "games": games, "events": []})
            day += dt.timedelta(days=1)
    total = sum(d["totalGames"] for d in dates)
    return {"copyright": copyright_text(season.season), "totalItems": total, "totalEvents": 0,
            "totalGames": total, "totalGamesInProgress": 0, "dates": dates}
