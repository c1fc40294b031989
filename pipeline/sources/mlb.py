"""The MLB Stats API: endpoints, partitioning and request keys.

A date partition ('games') fetches that date's schedule, then the box score of every
final game on it; a season partition ('teams') fetches the clubs of the season.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from pipeline.http import ApiRequest
from pipeline.sources import Partition


def schedule_request(day: date) -> ApiRequest:
    return ApiRequest("schedule", "/api/v1/schedule", day, (("sportId", "1"), ("date", day.isoformat())))


def boxscore_request(game_pk: int, day: date) -> ApiRequest:
    return ApiRequest("boxscore", f"/api/v1/game/{game_pk}/boxscore", day, path_params=(("gamePk", game_pk),))


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
    # staging files per endpoint group, in dependency order (games before lines)
    transforms: dict[str, list[str]] = field(default_factory=lambda: {
        "teams": ["staging/mlb/teams"],
        "games": [
            "staging/mlb/games",
            "staging/mlb/players",
            "staging/mlb/player_batting",
            "staging/mlb/player_pitching",
        ],
    })
    curated: list[str] = field(default_factory=lambda: [
        "curated/mlb/player_season_batting",
        "curated/mlb/player_season_pitching",
        "curated/mlb/team_standings",
        "curated/mlb/fantasy_points_daily",
    ])

    def plan(self, start: date, end: date) -> list[Partition]:
        days = (end - start).days + 1
        seasons = sorted({start.year + offset for offset in range(end.year - start.year + 1)})
        return [Partition(self.name, "teams", date(season, 1, 1)) for season in seasons] + [
            Partition(self.name, "games", start + timedelta(days=offset)) for offset in range(days)
        ]

    def season_window(self, season: int) -> tuple[date, date]:
        """Dates that can hold regular-season games; empty dates cost one small request."""
        return date(season, 3, 15), date(season, 10, 5)

    async def extract(self, partition: Partition, ctx) -> None:
        if partition.endpoint == "teams":
            await ctx.land([await ctx.fetch(teams_request(partition.key.year))])
            return
        await ctx.land([await ctx.fetch(schedule_request(partition.key))])
        # The schedule's games are typed by the staging SQL (only staging reads JSON);
        # which of them need a box score is an ops query on the typed rows.
        await ctx.run_sql("staging/mlb/games", {"partition_date": partition.key})
        game_pks = await ctx.query(
            "ops/mlb/games_to_fetch", {"partition_date": partition.key, "refetch": ctx.force}
        )
        await ctx.fetch_and_land([boxscore_request(row[0], partition.key) for row in game_pks])


SOURCE = MlbSource()
