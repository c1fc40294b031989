"""The simulator's request router plus ground-truth accessors for tests."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from collections import OrderedDict
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qsl

import orjson

from . import clock, corrections
from .baddata import BadData
from .boxscore import BoxscoreFactory
from .people import build_rosters, build_umpires
from .schedule import iso_z, schedule_response
from .season import Season
from .teams import teams_response

JSON_TYPE = "application/json;charset=UTF-8"
CATEGORIES = ("schedule", "boxscore", "teams", "other")
_BOXSCORE = re.compile(r"^/api/v1/game/(\d+)/boxscore$")


class BadRequest(ValueError):
    pass


def dumps(obj: Any) -> bytes:
    # Compact UTF-8 like the real API (which sends "Peña", not "Pe\u00f1a"): the same bytes
    # as json.dumps(obj, ensure_ascii=False, separators=(",", ":")), 10x faster (a box
    # score: 0.2 ms, not 3). Answers have string keys only; OPT_NON_STR_KEYS, a third
    # slower, is there for one that does not.
    try:
        return orjson.dumps(obj)
    except TypeError:
        return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS)


def _parse_date(value: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise BadRequest(f"Invalid Request with value: {value}")


class Simulator:
    """A deterministic MLB Stats API: same (seed, season) gives byte-identical answers."""

    def __init__(self, seed: int = 0, season: int = 2024, cache_bytes: int = 64 << 20,
                 today: dt.date | None = None, correction_rate: float = 0.0, bad_data_rate: float = 0.0) -> None:
        self.seed, self.year = seed, season
        # None: the season is over and every game final (the default, byte-identical answers).
        self.today = today
        self.correction_rate = correction_rate
        self._corrected: dict[int, tuple[bytes, list[dict[str, Any]]]] = {}
        # off by default: answers stay byte-identical unless bad data is asked for
        self._bad_data = BadData(seed, bad_data_rate) if bad_data_rate > 0 else None
        self.season = Season(seed, season)
        self._factory = BoxscoreFactory(seed, self.season, build_rosters(seed, season), build_umpires(seed))
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(CATEGORIES, 0)
        # rendered box scores (before corrections), least recently served evicted first once
        # they hold more than `cache_bytes`: a box score is rendered once while it fits
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._cache_bytes = cache_bytes
        self._cached_bytes = 0
        self.faults = None  # a faults.FaultPlan, played by the server or the transport
        # Fixed "now" for Last-Modified and error timestamps: the day after the season.
        self._now = dt.datetime.combine(self.season.last_day + dt.timedelta(days=1), dt.time(12), dt.timezone.utc)

    # ------------------------------------------------------------------ HTTP-shaped entry point
    def handle(self, method: str, path: str, query: dict[str, str],
               headers: dict[str, str] | None = None, body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
        """Answer one request: (status, headers, body). Repeated query keys: pass the last value."""
        if "?" in path:  # tolerate a raw request target; explicit `query` entries win
            path, raw = path.split("?", 1)
            query = {**dict(parse_qsl(raw, keep_blank_values=True)), **query}
        path = path.rstrip("/") or "/"
        if path == "/__sim/stats":
            return self._finish(200, dumps(self._stats()), self._now, headers, cacheable=False)
        if path == "/__sim/identity":  # which simulated league this is: runs record it
            return self._finish(200, dumps({"simulator": True, "seed": self.seed, "season": self.year}), self._now,
                                headers, cacheable=False)
        if path in ("/__sim/clock", "/__sim/corrections"):
            return self._control(method, path, query, headers, body)
        match = _BOXSCORE.match(path)
        kind = ("schedule" if path == "/api/v1/schedule" else "boxscore" if match
                else "teams" if path == "/api/v1/teams" else "other")
        with self._lock:
            self._counts[kind] += 1
        if method.upper() not in ("GET", "HEAD"):
            return self._error(405, 20, f"Method {method} not allowed", headers)
        try:
            if kind == "schedule":
                schedule = self._schedule(query)
                if self.today is not None:
                    schedule = clock.schedule_at(schedule, self.season, self.today)
                return self._finish(200, dumps(schedule), self._now, headers)
            if kind == "teams":
                season = int(query.get("season") or self.year)
                body = teams_response(season, int(query.get("sportId") or 1))
                return self._finish(200, dumps(body), self._now, headers)
            if match:
                pk = int(match.group(1))
                game = self.season.game(pk)
                if game is None:
                    return self._error(404, 10, "Object not found", headers)
                assert game.start is not None
                if clock.game_state(game, self.today) == "preview":
                    return self._error(404, 10, "Object not found", headers)
                return self._finish(200, self._served_boxscore(pk), game.start + dt.timedelta(hours=4), headers)
        except (BadRequest, ValueError) as exc:
            message = str(exc) if isinstance(exc, BadRequest) else f"Invalid Request: {exc}"
            return self._error(400, 11, message, headers)
        return self._error(404, 10, "Object not found", headers)

    def _schedule(self, query: dict[str, str]) -> dict[str, Any]:
        if query.get("date"):
            start = end = _parse_date(query["date"])
        elif query.get("startDate") or query.get("endDate"):
            if not (query.get("startDate") and query.get("endDate")):
                raise BadRequest("Both startDate and endDate are required")
            start, end = _parse_date(query["startDate"]), _parse_date(query["endDate"])
        elif query.get("season"):
            year = int(query["season"])
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        else:
            raise BadRequest("Missing required parameter: date, startDate/endDate or season")
        types = {t.strip() for t in query["gameType"].split(",")} if query.get("gameType") else None
        team = int(query["teamId"]) if query.get("teamId") else None
        return schedule_response(self.season, start, end, types, team, int(query.get("sportId") or 1))

    def _boxscore_bytes(self, pk: int) -> bytes:
        with self._lock:
            body = self._cache.get(pk)
            if body is not None:
                self._cache.move_to_end(pk)
                return body
        game = self.season.game(pk)
        assert game is not None
        body = dumps(self._factory.build(game))  # outside the lock: generation is pure
        if self._bad_data is not None:
            body = self._bad_data.apply(pk, body)
        with self._lock:
            if pk not in self._cache:
                self._cache[pk] = body
                self._cached_bytes += len(body)
            while self._cached_bytes > self._cache_bytes and len(self._cache) > 1:
                self._cached_bytes -= len(self._cache.popitem(last=False)[1])
        return body

    def prerender(self, start: dt.date, end: dt.date) -> tuple[int, int]:
        """Render the box scores of the games played start..end into the cache, so that
        serving them costs a lookup; returns (box scores, bytes) cached. Requests are not
        counted and answers are the same bytes as rendered on demand (corrections, the
        clock, faults and bad data apply as ever)."""
        games = [game for game in self.season.games if start <= game.day <= end and game.start is not None]
        rendered = 0
        for game in games:
            try:
                rendered += len(self._boxscore_bytes(game.pk))
            except (AssertionError, KeyError, ValueError):  # a game with no box score to serve
                continue
        return len(games), rendered

    def cache_stats(self) -> dict[str, int]:
        with self._lock:
            return {"box_scores": len(self._cache), "bytes": self._cached_bytes, "limit_bytes": self._cache_bytes}

    # ------------------------------------------------------------------ clock and corrections
    def _control(self, method: str, path: str, query: dict[str, str], headers: dict[str, str] | None,
                 body: bytes | None) -> tuple[int, dict[str, str], bytes]:
        """/__sim/clock (GET, or POST {"today": "YYYY-MM-DD"}) and /__sim/corrections."""
        try:
            if path == "/__sim/clock":
                if method.upper() == "POST":
                    today = json.loads(body or b"{}").get("today")
                    self.set_today(_parse_date(today) if today else None)
                answer: Any = {"today": self.today.isoformat() if self.today else None}
            else:
                start = _parse_date(query["start"]) if query.get("start") else None
                end = _parse_date(query["end"]) if query.get("end") else None
                answer = {"corrections": self.corrections(start, end)}
        except (BadRequest, ValueError, AttributeError) as exc:
            return self._error(400, 11, f"Invalid Request: {exc}", headers)
        return self._finish(200, dumps(answer), self._now, headers, cacheable=False)

    def set_today(self, today: dt.date | None) -> None:
        """Move the simulated clock (None: the season is over)."""
        with self._lock:
            self.today = today

    def _visible_correction(self, pk: int) -> corrections.PlannedCorrection | None:
        game = self.season.game(pk)
        if game is None or clock.game_state(game, self.today) != "final":
            return None
        planned = corrections.planned(self.seed, self.year, game, self.correction_rate)
        if planned is None or (self.today is not None and planned.appears_on > self.today):
            return None
        return planned

    def _corrected_boxscore(self, pk: int, planned: corrections.PlannedCorrection) -> tuple[bytes, list[dict[str, Any]]]:
        with self._lock:
            known = self._corrected.get(pk)
        if known is None:
            box = json.loads(self._boxscore_bytes(pk))
            changes = corrections.apply(box, self.seed, self.year, planned)
            known = (dumps(box), changes)
            with self._lock:
                self._corrected[pk] = known
        return known

    def _served_boxscore(self, pk: int) -> bytes:
        planned = self._visible_correction(pk)
        if planned is None:
            return self._boxscore_bytes(pk)
        return self._corrected_boxscore(pk, planned)[0]

    def corrections(self, start: dt.date | None = None, end: dt.date | None = None) -> list[dict[str, Any]]:
        """Every change the simulator has made so far (by `today`) to games played start..end."""
        out: list[dict[str, Any]] = []
        for game in sorted(self.season.games, key=lambda g: (g.day, g.pk)):
            if (start and game.day < start) or (end and game.day > end):
                continue
            planned = self._visible_correction(game.pk)
            if planned is not None:
                out += [{**change, "game_date": game.day.isoformat()}
                        for change in self._corrected_boxscore(game.pk, planned)[1]]
        return out

    def _error(self, status: int, number: int, message: str,
               headers: dict[str, str] | None) -> tuple[int, dict[str, str], bytes]:
        body = {"messageNumber": number, "message": message, "timestamp": iso_z(self._now), "traceId": None}
        return self._finish(status, dumps(body), self._now, headers, cacheable=False)

    @staticmethod
    def _finish(status: int, body: bytes, modified: dt.datetime, request_headers: dict[str, str] | None,
                cacheable: bool = True) -> tuple[int, dict[str, str], bytes]:
        out = {"Content-Type": JSON_TYPE}
        if cacheable:
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            out["ETag"] = etag
            out["Last-Modified"] = format_datetime(modified, usegmt=True)
            lowered = {k.lower(): v for k, v in (request_headers or {}).items()}
            tags = {t.strip().removeprefix("W/") for t in lowered.get("if-none-match", "").split(",")}
            if etag in tags or "*" in tags:
                return 304, {"ETag": etag, "Last-Modified": out["Last-Modified"]}, b""
        return status, out, body

    # ------------------------------------------------------------------ counters
    def _stats(self) -> dict[str, Any]:
        counts = self.request_counts()
        stats: dict[str, Any] = {"requests": counts, "total": sum(counts.values())}
        if self.faults is not None:
            stats["faults"] = self.faults.counts()
        return stats

    def request_counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def reset_counts(self) -> None:
        with self._lock:
            self._counts = dict.fromkeys(CATEGORIES, 0)

    # ------------------------------------------------------------------ ground truth
    def games(self, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
        """Every schedule entry dated start..end (inclusive), as plain facts.

        A postponed game yields two entries, like the API: status "Postponed" on its original
        date (`date`; its `official_date` is already the make-up date) and "Final" on the
        make-up date. Scores are None on the postponed entry.
        """
        out = []
        day = start
        while day <= end:
            for g, postponed in self.season.entries(day):
                out.append({
                    "game_pk": g.pk,
                    "date": day,
                    "official_date": g.day,
                    "game_date": g.postponed_start if postponed else g.start,
                    "game_type": "R",
                    "status": "Postponed" if postponed else "Final",
                    "away_team_id": g.away,
                    "home_team_id": g.home,
                    "away_score": None if postponed else g.away_score,
                    "home_score": None if postponed else g.home_score,
                    "winner_team_id": None if postponed else g.winner,
                    "innings": None if postponed else g.innings,
                    "double_header": "N" if postponed else g.double_header,
                    "game_number": 1 if postponed else g.game_number,
                    "rescheduled_from": None if postponed else g.postponed_day,
                    "reschedule_date": g.day if postponed else None,
                    "games_in_series": g.games_in_series,
                    "series_game_number": g.series_game_number,
                })
            day += dt.timedelta(days=1)
        return out

    def boxscore(self, game_pk: int) -> dict[str, Any]:
        """The box score dict the endpoint serialises (a fresh copy). KeyError if unknown."""
        if self.season.game(game_pk) is None:
            raise KeyError(game_pk)
        result: dict[str, Any] = json.loads(self._boxscore_bytes(game_pk))
        return result
