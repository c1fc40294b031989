"""The MLB Stats API: endpoints, partitioning and request keys.

A date partition ('games') fetches that date's schedule, then the box score of every
final game on it; a season partition ('teams') fetches the clubs of the season. Its SQL
is in `sql/*/mlb/`; its own application queries (which games to fetch, the incremental
window, the raw shape rules) are in `queries/` beside this file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from pipeline.extract import ExtractContext
from pipeline.http import ApiRequest
from pipeline.partition import Partition
from pipeline.queries import QUERIES
from pipeline.sqlfiles import SqlTree, analysts_tree


# the schedule's shape rules: run before its games are typed, and again by the transform
SCHEDULE_SHAPES = ("raw_shape_schedule", "raw_shape_schedule_emptied")


def schedule_request(day: date) -> ApiRequest:
    return ApiRequest("schedule", "/api/v1/schedule", day, (("sportId", "1"), ("date", day.isoformat())))


def schedule_window_request(start: date, end: date) -> ApiRequest:
    """One schedule request for a window of dates (landed under its first date)."""
    return ApiRequest("schedule", "/api/v1/schedule", start,
                      (("sportId", "1"), ("startDate", start.isoformat()), ("endDate", end.isoformat())))


def boxscore_request(game_pk: int, day: date, etag: str | None = None,
                     last_modified: str | None = None) -> ApiRequest:
    """The box score of a game; with the landed version's validators it is a conditional GET."""
    headers = tuple((name, value) for name, value in (("If-None-Match", etag), ("If-Modified-Since", last_modified))
                    if value)
    return ApiRequest("boxscore", f"/api/v1/game/{game_pk}/boxscore", day, path_params=(("gamePk", game_pk),),
                      headers=headers)


def teams_request(season: int) -> ApiRequest:
    return ApiRequest("teams", "/api/v1/teams", date(season, 1, 1), (("sportId", "1"), ("season", str(season))))


@dataclass(frozen=True)
class MlbSource:
    name: str = "mlb"
    default_base_url: str = "https://statsapi.mlb.com"
    concurrency: int = 8
    # politeness toward the public API, shared by all workers (PIPELINE_MLB_RATE_LIMIT,
    # PIPELINE_MLB_RATE_BURST override it; 0 turns the limit off)
    rate_limit: float = 10.0
    rate_burst: float = 10.0
    raw_tables: tuple[str, ...] = ("mlb_schedule", "mlb_boxscore", "mlb_teams")
    table_endpoints: dict[str, str] = field(default_factory=lambda: {
        "mlb_schedule": "games", "mlb_boxscore": "games", "mlb_teams": "teams",
    })
    dated_endpoints: tuple[str, ...] = ("games",)
    window_endpoint: str = "games"
    checked_endpoints: tuple[str, ...] = ("games",)
    raw_shapes: dict[str, tuple[str, ...]] = field(default_factory=lambda: {
        "teams": ("raw_shape_teams",),
        "games": (*SCHEDULE_SHAPES, "raw_shape_boxscore"),
    })
    sql: SqlTree = field(default_factory=analysts_tree)
    queries: SqlTree = field(default_factory=lambda: SqlTree(Path(__file__).resolve().parent / "queries",
                                                             QUERIES.root))

    def plan(self, start: date, end: date) -> list[Partition]:
        days = (end - start).days + 1
        seasons = sorted({start.year + offset for offset in range(end.year - start.year + 1)})
        return [Partition(self.name, "teams", date(season, 1, 1)) for season in seasons] + [
            Partition(self.name, "games", start + timedelta(days=offset)) for offset in range(days)
        ]

    def season_window(self, season: int) -> tuple[date, date]:
        """Dates that can hold regular-season games; empty dates cost one small request."""
        return date(season, 3, 15), date(season, 10, 5)

    async def extract(self, partition: Partition, ctx: ExtractContext) -> None:
        if partition.endpoint == "teams":
            await ctx.land([await ctx.fetch(teams_request(partition.key.year))])
            return
        await ctx.land([await ctx.fetch(schedule_request(partition.key))])
        for name in SCHEDULE_SHAPES:
            await ctx.run_sql(self.queries, name, {"partition_date": partition.key})
        # The schedule's games are typed by the staging SQL (only staging reads JSON);
        # which of them need a box score is a query on the typed rows.
        await ctx.run_sql(self.sql, "staging/mlb/games", {"partition_date": partition.key})
        game_pks = await ctx.query(self.queries, "games_to_fetch",
                                   {"partition_date": partition.key, "refetch": ctx.force})
        await ctx.fetch_and_land([boxscore_request(row[0], partition.key) for row in game_pks])

    async def extract_window(self, start: date, end: date, mode: str,
                             ctx: ExtractContext) -> dict[date, tuple[int, int]]:
        """Incremental and lookback: one schedule request for start..end, then only the box
        scores a query picks (conditional where validators exist). Returns, per date,
        (items tried, items failed)."""
        window = schedule_window_request(start, end)
        dates = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
        await ctx.land([await ctx.fetch(window, stands_for=[schedule_request(day) for day in dates])])
        await ctx.run_sql(self.queries, "schedule_split_window", {
            "window_key": window.key, "window_date": start, "dates": dates,
            "request_keys": [schedule_request(day).key for day in dates],
        })
        for day in dates:
            for name in SCHEDULE_SHAPES:
                await ctx.run_sql(self.queries, name, {"partition_date": day})
            await ctx.run_sql(self.sql, "staging/mlb/games", {"partition_date": day})
        rows = await ctx.query(self.queries, "games_to_refresh", {"start_date": start, "end_date": end, "mode": mode})
        requests = [boxscore_request(pk, day, etag, last_modified) for pk, day, etag, last_modified in rows]
        # every box score of the window at once (within the fetcher's limit), then each
        # date lands its own and records its own dead letters
        return await ctx.settle_by_date(requests, dates, Partition(self.name, "games", start))

    async def window_start(self, conn, today: date, overlap_days: int) -> date:
        cursor = await self.queries.execute_async(conn, "window_start", {
            "source": self.name, "today": today, "overlap_days": overlap_days,
        })
        start, _ = await cursor.fetchone()
        return start

    async def staged_scope(self, conn) -> tuple[list[date], list[int]]:
        cursor = await self.queries.execute_async(conn, "staged_scope")
        dates, seasons = await cursor.fetchone()
        return dates, seasons


SOURCE = MlbSource()
