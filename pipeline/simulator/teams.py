"""The 30 MLB clubs as plain data, and the `/api/v1/teams` response built from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LEAGUES = {103: "American League", 104: "National League"}
DIVISIONS = {
    200: "American League West",
    201: "American League East",
    202: "American League Central",
    203: "National League West",
    204: "National League East",
    205: "National League Central",
}
SPRING_LEAGUES = {114: ("Cactus League", "CL"), 115: ("Grapefruit League", "GL")}


@dataclass(frozen=True)
class Team:
    id: int
    name: str
    abbreviation: str
    team_name: str
    location_name: str
    short_name: str
    franchise_name: str
    club_name: str
    team_code: str
    file_code: str
    first_year: str
    league_id: int
    division_id: int
    venue_id: int
    venue_name: str
    spring_league_id: int
    spring_venue_id: int
    utc_offset: int  # hours during the season (all of it falls inside daylight saving time)
    roof: bool  # dome or retractable roof: never rained out


# fmt: off
_ROWS = [
    (108, "Los Angeles Angels", "LAA", "Angels", "Anaheim", "LA Angels", "Los Angeles", "Angels", "ana", "ana", "1961", 103, 200, 1, "Angel Stadium", 114, 2500, -7, False),
    (109, "Arizona Diamondbacks", "AZ", "D-backs", "Phoenix", "Arizona", "Arizona", "Diamondbacks", "ari", "ari", "1996", 104, 203, 15, "Chase Field", 114, 4249, -7, True),
    (110, "Baltimore Orioles", "BAL", "Orioles", "Baltimore", "Baltimore", "Baltimore", "Orioles", "bal", "bal", "1901", 103, 201, 2, "Oriole Park at Camden Yards", 115, 2508, -4, False),
    (111, "Boston Red Sox", "BOS", "Red Sox", "Boston", "Boston", "Boston", "Red Sox", "bos", "bos", "1901", 103, 201, 3, "Fenway Park", 115, 4309, -4, False),
    (112, "Chicago Cubs", "CHC", "Cubs", "Chicago", "Chi Cubs", "Chicago", "Cubs", "chn", "chc", "1874", 104, 205, 17, "Wrigley Field", 114, 4629, -5, False),
    (113, "Cincinnati Reds", "CIN", "Reds", "Cincinnati", "Cincinnati", "Cincinnati", "Reds", "cin", "cin", "1882", 104, 205, 2602, "Great American Ball Park", 114, 3834, -4, False),
    (114, "Cleveland Guardians", "CLE", "Guardians", "Cleveland", "Cleveland", "Cleveland", "Guardians", "cle", "cle", "1901", 103, 202, 5, "Progressive Field", 114, 3834, -4, False),
    (115, "Colorado Rockies", "COL", "Rockies", "Denver", "Colorado", "Colorado", "Rockies", "col", "col", "1992", 104, 203, 19, "Coors Field", 114, 4249, -6, False),
    (116, "Detroit Tigers", "DET", "Tigers", "Detroit", "Detroit", "Detroit", "Tigers", "det", "det", "1901", 103, 202, 2394, "Comerica Park", 115, 2511, -4, False),
    (117, "Houston Astros", "HOU", "Astros", "Houston", "Houston", "Houston", "Astros", "hou", "hou", "1962", 103, 200, 2392, "Minute Maid Park", 115, 5000, -5, True),
    (118, "Kansas City Royals", "KC", "Royals", "Kansas City", "Kansas City", "Kansas City", "Royals", "kca", "kc", "1968", 103, 202, 7, "Kauffman Stadium", 114, 2603, -5, False),
    (119, "Los Angeles Dodgers", "LAD", "Dodgers", "Los Angeles", "LA Dodgers", "Los Angeles", "Dodgers", "lan", "la", "1884", 104, 203, 22, "Dodger Stadium", 114, 3809, -7, False),
    (120, "Washington Nationals", "WSH", "Nationals", "Washington", "Washington", "Washington", "Nationals", "was", "was", "1968", 104, 204, 3309, "Nationals Park", 115, 5000, -4, False),
    (121, "New York Mets", "NYM", "Mets", "Flushing", "NY Mets", "New York", "Mets", "nyn", "nym", "1962", 104, 204, 3289, "Citi Field", 115, 2856, -4, False),
    (133, "Oakland Athletics", "OAK", "Athletics", "Oakland", "Oakland", "Oakland", "Athletics", "oak", "oak", "1901", 103, 200, 10, "Oakland Coliseum", 114, 2507, -7, False),
    (134, "Pittsburgh Pirates", "PIT", "Pirates", "Pittsburgh", "Pittsburgh", "Pittsburgh", "Pirates", "pit", "pit", "1882", 104, 205, 31, "PNC Park", 115, 2526, -4, False),
    (135, "San Diego Padres", "SD", "Padres", "San Diego", "San Diego", "San Diego", "Padres", "sdn", "sd", "1968", 104, 203, 2680, "Petco Park", 114, 2530, -7, False),
    (136, "Seattle Mariners", "SEA", "Mariners", "Seattle", "Seattle", "Seattle", "Mariners", "sea", "sea", "1977", 103, 200, 680, "T-Mobile Park", 114, 2530, -7, True),
    (137, "San Francisco Giants", "SF", "Giants", "San Francisco", "San Francisco", "San Francisco", "Giants", "sfn", "sf", "1883", 104, 203, 2395, "Oracle Park", 114, 2532, -7, False),
    (138, "St. Louis Cardinals", "STL", "Cardinals", "St. Louis", "St. Louis", "St. Louis", "Cardinals", "sln", "stl", "1892", 104, 205, 2889, "Busch Stadium", 115, 2520, -5, False),
    (139, "Tampa Bay Rays", "TB", "Rays", "St. Petersburg", "Tampa Bay", "Tampa Bay", "Rays", "tba", "tb", "1996", 103, 201, 12, "Tropicana Field", 115, 2534, -4, True),
    (140, "Texas Rangers", "TEX", "Rangers", "Arlington", "Texas", "Texas", "Rangers", "tex", "tex", "1961", 103, 200, 5325, "Globe Life Field", 114, 2603, -5, True),
    (141, "Toronto Blue Jays", "TOR", "Blue Jays", "Toronto", "Toronto", "Toronto", "Blue Jays", "tor", "tor", "1977", 103, 201, 14, "Rogers Centre", 115, 2536, -4, True),
    (142, "Minnesota Twins", "MIN", "Twins", "Minneapolis", "Minnesota", "Minnesota", "Twins", "min", "min", "1901", 103, 202, 3312, "Target Field", 115, 2862, -5, False),
    (143, "Philadelphia Phillies", "PHI", "Phillies", "Philadelphia", "Philadelphia", "Philadelphia", "Phillies", "phi", "phi", "1883", 104, 204, 2681, "Citizens Bank Park", 115, 2700, -4, False),
    (144, "Atlanta Braves", "ATL", "Braves", "Atlanta", "Atlanta", "Atlanta", "Braves", "atl", "atl", "1871", 104, 204, 4705, "Truist Park", 115, 5380, -4, False),
    (145, "Chicago White Sox", "CWS", "White Sox", "Chicago", "Chi White Sox", "Chicago", "White Sox", "cha", "cws", "1901", 103, 202, 4, "Guaranteed Rate Field", 114, 3809, -5, False),
    (146, "Miami Marlins", "MIA", "Marlins", "Miami", "Miami", "Miami", "Marlins", "mia", "mia", "1991", 104, 204, 4169, "loanDepot park", 115, 2520, -4, True),
    (147, "New York Yankees", "NYY", "Yankees", "Bronx", "NY Yankees", "New York", "Yankees", "nya", "nyy", "1903", 103, 201, 3313, "Yankee Stadium", 115, 2523, -4, False),
    (158, "Milwaukee Brewers", "MIL", "Brewers", "Milwaukee", "Milwaukee", "Milwaukee", "Brewers", "mil", "mil", "1968", 104, 205, 32, "American Family Field", 114, 2518, -5, True),
]
# fmt: on

TEAMS: tuple[Team, ...] = tuple(Team(*row) for row in _ROWS)
TEAMS_BY_ID: dict[int, Team] = {t.id: t for t in TEAMS}

COPYRIGHT = (
    "Copyright {year} MLB Advanced Media, L.P.  Use of any content on this page acknowledges "
    "agreement to the terms posted here http://gdx.mlb.com/components/copyright.txt"
)


def copyright_text(season: int) -> str:
    # The real API stamps the current year; the season keeps responses reproducible.
    return COPYRIGHT.format(year=season)


def team_ref(team: Team) -> dict[str, Any]:
    """The short `{id, name, link}` team object used inside schedule games."""
    return {"id": team.id, "name": team.name, "link": f"/api/v1/teams/{team.id}"}


def venue_ref(team: Team) -> dict[str, Any]:
    return {"id": team.venue_id, "name": team.venue_name, "link": f"/api/v1/venues/{team.venue_id}"}


def team_json(team: Team, season: int, record: dict[str, Any] | None = None) -> dict[str, Any]:
    """The full team object of `/teams`; a boxscore's team also carries `record`."""
    spring_name, spring_abbr = SPRING_LEAGUES[team.spring_league_id]
    body: dict[str, Any] = {
        "springLeague": {
            "id": team.spring_league_id,
            "name": spring_name,
            "link": f"/api/v1/league/{team.spring_league_id}",
            "abbreviation": spring_abbr,
        },
        "allStarStatus": "N",
        "id": team.id,
        "name": team.name,
        "link": f"/api/v1/teams/{team.id}",
        "season": season,
        "venue": venue_ref(team),
        "springVenue": {"id": team.spring_venue_id, "link": f"/api/v1/venues/{team.spring_venue_id}"},
        "teamCode": team.team_code,
        "fileCode": team.file_code,
        "abbreviation": team.abbreviation,
        "teamName": team.team_name,
        "locationName": team.location_name,
        "firstYearOfPlay": team.first_year,
        "league": {"id": team.league_id, "name": LEAGUES[team.league_id], "link": f"/api/v1/league/{team.league_id}"},
        "division": {
            "id": team.division_id,
            "name": DIVISIONS[team.division_id],
            "link": f"/api/v1/divisions/{team.division_id}",
        },
        "sport": {"id": 1, "link": "/api/v1/sports/1", "name": "Major League Baseball"},
        "shortName": team.short_name,
    }
    if record is not None:
        body["record"] = record
    body.update({"franchiseName": team.franchise_name, "clubName": team.club_name, "active": True})
    return body


def teams_response(season: int, sport_id: int = 1) -> dict[str, Any]:
    """`GET /api/v1/teams?sportId=1&season=Y`; other sports have no clubs here."""
    teams = [team_json(t, season) for t in TEAMS] if sport_id == 1 else []
    return {"copyright": copyright_text(season), "teams": teams}
