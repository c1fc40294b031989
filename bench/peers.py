"""Benchmark: the project beside two peers, loading the same season into typed tables.

In one run, against one simulator serving prerendered answers, three pipelines load the
same dates into typed games, batting lines and pitching lines, each into its own database
on the same PostgreSQL server:

- the project: `pipeline db migrate`, then `pipeline run backfill --wait --concurrency 4`
  through the real CLI (rate limit off), into staging.mlb_games / mlb_player_batting /
  mlb_player_pitching (it also lands raw JSON, runs its checks and the curated stage);
- a naive script: synchronous httpx + psycopg 3, date by date: the schedule, then the box
  score of every final game, reshaped in Python, one upsert per row, a commit per game;
- dlt 1.x: a source whose resources fetch the same answers and yield the same typed
  dicts, loaded with write_disposition="merge" on the natural keys (skipped when dlt is
  not installed: pip install -e '.[bench]').

It prints each peer's wall time (and the project's stage timings), the API requests each
made, each peer's time as a multiple of the project's, the core-seconds each used (its own
processes', the server's and the simulator's, read from /proc when the server runs on this
machine), and, per table, the row count and an md5 of a fixed projection of the typed rows
in every database: exit status 1 when the three do not hold the same data.

With `--rounds N` the three load the season N times, each round into databases made anew
and in a rotated order (the project first, then second, ...), and the ratios are given per
round and as their median: on a machine whose speed drifts by several seconds from one
minute to the next, one round can flatter or wrong any of the three.

What the clocks hold: the project's, the `run backfill` process from start to exit (the
migrations before it are timed apart); the naive script's, creating its tables and the
load; dlt's, the pipeline's run (extract, normalize, load, with its default file format
for postgres), not `import dlt`. The two peers share one Python reshaping, a transcription
of the project's staging SQL, so they differ only in how they fetch and load.

    python bench/peers.py                                   # the whole 2024 season
    python bench/peers.py --start 2024-04-01 --end 2024-04-14   # a quick look
    python bench/peers.py --dsn postgresql://postgres@127.0.0.1:5432/postgres --skip-dlt
    python bench/peers.py --rounds 3                        # three rounds, median ratios

The peers' SQL (their tables, their upserts, the checksum) stays in this file, unlike the
project's own queries: the peers are not part of the project, and the benchmark reads as
one script.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg

from pipeline.sources.mlb import SOURCE

from harness import CLI, CpuMeter, bench_env, cli, latest_run_stages, requests_served, start_simulator

DATABASES = {"project": "peers_project", "naive": "peers_naive", "dlt": "peers_dlt"}
# where each peer keeps its typed tables (the checksum reads <schema>.<table> in each)
SCHEMAS = {"project": "staging", "naive": "public", "dlt": "mlb"}
PEER_NAMES = {"project": "the project", "naive": "naive script", "dlt": "dlt"}

# ---------------------------------------------------------------- the typed tables
# The columns the project's staging SQL fills (sql/staging/mlb/*.sql), with its types;
# the peers create and fill the same ones (minus raw_id and updated_at, the project's
# lineage columns).
GAME_COLUMNS = {
    "game_pk": "bigint", "season": "integer", "official_date": "date", "game_date": "timestamptz",
    "game_type": "text", "double_header": "text", "game_number": "integer", "detailed_state": "text",
    "abstract_state": "text", "coded_game_state": "text", "status_code": "text", "away_team_id": "integer",
    "home_team_id": "integer", "away_score": "integer", "home_score": "integer", "away_is_winner": "boolean",
    "home_is_winner": "boolean", "is_tie": "boolean", "venue_id": "integer", "venue_name": "text",
    "day_night": "text", "scheduled_innings": "integer", "games_in_series": "integer",
    "series_game_number": "integer", "reschedule_date": "date", "rescheduled_from_date": "date",
    "listed_on": "date",
}
BATTING_STATS = {
    "games_played": "gamesPlayed", "plate_appearances": "plateAppearances", "at_bats": "atBats", "runs": "runs",
    "hits": "hits", "doubles": "doubles", "triples": "triples", "home_runs": "homeRuns", "rbi": "rbi",
    "base_on_balls": "baseOnBalls", "intentional_walks": "intentionalWalks", "strike_outs": "strikeOuts",
    "stolen_bases": "stolenBases", "caught_stealing": "caughtStealing", "hit_by_pitch": "hitByPitch",
    "sac_flies": "sacFlies", "sac_bunts": "sacBunts", "total_bases": "totalBases", "left_on_base": "leftOnBase",
    "ground_into_double_play": "groundIntoDoublePlay", "fly_outs": "flyOuts", "ground_outs": "groundOuts",
}
PITCHING_STATS = {
    "games_started": "gamesStarted", "outs": "outs", "hits": "hits", "runs": "runs", "earned_runs": "earnedRuns",
    "base_on_balls": "baseOnBalls", "intentional_walks": "intentionalWalks", "strike_outs": "strikeOuts",
    "home_runs": "homeRuns", "hit_batsmen": "hitBatsmen", "batters_faced": "battersFaced",
    "pitches": "numberOfPitches", "strikes": "strikes", "balls": "balls", "wins": "wins", "losses": "losses",
    "saves": "saves", "save_opportunities": "saveOpportunities", "holds": "holds", "blown_saves": "blownSaves",
    "complete_games": "completeGames", "shutouts": "shutouts", "wild_pitches": "wildPitches", "balks": "balks",
    "inherited_runners": "inheritedRunners", "inherited_runners_scored": "inheritedRunnersScored",
}
LINE_COLUMNS = {"game_pk": "bigint", "player_id": "integer", "team_id": "integer", "official_date": "date",
                "season": "integer"}
BATTING_COLUMNS = {**LINE_COLUMNS, "batting_order": "integer", "position_abbreviation": "text",
                   **dict.fromkeys(BATTING_STATS, "integer")}
PITCHING_COLUMNS = {**LINE_COLUMNS, "innings_pitched": "text", **dict.fromkeys(PITCHING_STATS, "integer")}
TABLES = {  # table: (columns, natural key)
    "mlb_games": (GAME_COLUMNS, ("game_pk",)),
    "mlb_player_batting": (BATTING_COLUMNS, ("game_pk", "player_id")),
    "mlb_player_pitching": (PITCHING_COLUMNS, ("game_pk", "player_id")),
}

# What the checksum compares: columns every peer holds, the same in each, ordered by the
# natural key. Every peer keeps every game the schedule lists (not only final ones), so
# games need no restriction. A row's text form (`row(...)::text`) renders integer and
# bigint alike and keeps nulls apart from empty strings.
CHECKSUM_COLUMNS = {
    "mlb_games": ("game_pk", "season", "official_date", "game_date", "game_type", "double_header", "game_number",
                  "detailed_state", "abstract_state", "coded_game_state", "status_code", "away_team_id",
                  "home_team_id", "away_score", "home_score", "away_is_winner", "home_is_winner", "venue_id",
                  "reschedule_date", "rescheduled_from_date", "listed_on"),
    "mlb_player_batting": ("game_pk", "player_id", "team_id", "official_date", "season", "batting_order",
                           "plate_appearances", "at_bats", "runs", "hits", "doubles", "triples", "home_runs", "rbi",
                           "base_on_balls", "strike_outs", "stolen_bases", "total_bases", "left_on_base"),
    "mlb_player_pitching": ("game_pk", "player_id", "team_id", "official_date", "season", "innings_pitched", "outs",
                            "hits", "runs", "earned_runs", "base_on_balls", "strike_outs", "home_runs",
                            "batters_faced", "pitches", "strikes", "wins", "losses", "saves", "holds"),
}


# ---------------------------------------------------------------- reshaping (naive and dlt)
# The same casts as the project's staging SQL, written in Python: both peers use them, so
# they differ from each other only in how they fetch and load.

def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None


def game_rows(schedule: dict, day: date) -> list[dict]:
    """The typed games a schedule answer lists (sql/staging/mlb/games.sql)."""
    rows = []
    for listing in schedule.get("dates", []):
        listed_on = _date(listing.get("date")) or day
        for game in listing.get("games", []):
            status, teams, venue = game.get("status", {}), game.get("teams", {}), game.get("venue", {})
            away, home = teams.get("away", {}), teams.get("home", {})
            rows.append({
                "game_pk": int(game["gamePk"]),
                "season": int(game["season"]),
                "official_date": _date(game["officialDate"]),
                "game_date": datetime.fromisoformat(game["gameDate"]) if game.get("gameDate") else None,
                "game_type": game["gameType"],
                "double_header": game.get("doubleHeader"),
                "game_number": _int(game.get("gameNumber")),
                "detailed_state": status.get("detailedState"),
                "abstract_state": status.get("abstractGameState"),
                "coded_game_state": status.get("codedGameState"),
                "status_code": status.get("statusCode"),
                "away_team_id": _int(away.get("team", {}).get("id")),
                "home_team_id": _int(home.get("team", {}).get("id")),
                "away_score": _int(away.get("score")),
                "home_score": _int(home.get("score")),
                "away_is_winner": away.get("isWinner"),
                "home_is_winner": home.get("isWinner"),
                "is_tie": game.get("isTie"),
                "venue_id": _int(venue.get("id")),
                "venue_name": venue.get("name"),
                "day_night": game.get("dayNight"),
                "scheduled_innings": _int(game.get("scheduledInnings")),
                "games_in_series": _int(game.get("gamesInSeries")),
                "series_game_number": _int(game.get("seriesGameNumber")),
                "reschedule_date": _date(game.get("rescheduleGameDate") or game.get("rescheduleDate")),
                "rescheduled_from_date": _date(game.get("rescheduledFromDate") or game.get("rescheduledFrom")),
                "listed_on": listed_on,
            })
    return rows


def wants_boxscore(game: dict, day: date) -> bool:
    """The games the project fetches a box score for on `day`
    (pipeline/sources/mlb/queries/games_to_fetch.sql): final games played that date."""
    return (game["official_date"] == day and game["abstract_state"] == "Final"
            and game["coded_game_state"] not in ("D", "C")
            and game["detailed_state"] not in ("Postponed", "Cancelled"))


def _players(boxscore: dict) -> Iterator[tuple[int, dict]]:
    for side in ("away", "home"):
        team = boxscore.get("teams", {}).get(side)
        if team:
            for player in team.get("players", {}).values():
                yield int(team["team"]["id"]), player


def _line_rows(game: dict, boxscore: dict, group: str, line_fields) -> list[dict]:
    """Lines of players with a non-empty `group` dict (sql/staging/mlb/player_<group>.sql);
    `line_fields(player, stats)`: the group's own columns."""
    return [{
        "game_pk": game["game_pk"], "player_id": int(player["person"]["id"]), "team_id": team_id,
        "official_date": game["official_date"], "season": game["season"], **line_fields(player, stats),
    } for team_id, player in _players(boxscore) if (stats := player.get("stats", {}).get(group))]


def batting_rows(game: dict, boxscore: dict) -> list[dict]:
    return _line_rows(game, boxscore, "batting", lambda player, batting: {
        "batting_order": int(player["battingOrder"]) if player.get("battingOrder") else None,
        "position_abbreviation": player.get("position", {}).get("abbreviation"),
        **{column: _int(batting.get(field)) for column, field in BATTING_STATS.items()},
    })


def pitching_rows(game: dict, boxscore: dict) -> list[dict]:
    """A missing pitching count is 0 in the staging SQL, so here too."""
    return _line_rows(game, boxscore, "pitching", lambda player, pitching: {
        "innings_pitched": pitching.get("inningsPitched"),
        **{column: int(pitching.get(field) or 0) for column, field in PITCHING_STATS.items()},
    })


def fetch_schedule(http: httpx.Client, day: date) -> dict:
    response = http.get("/api/v1/schedule", params={"sportId": "1", "date": day.isoformat()})
    response.raise_for_status()
    return response.json()


def fetch_boxscore(http: httpx.Client, game_pk: int) -> dict:
    response = http.get(f"/api/v1/game/{game_pk}/boxscore")
    response.raise_for_status()
    return response.json()


# ---------------------------------------------------------------- peer 2: the naive script

def create_table(table: str) -> str:
    columns, key = TABLES[table]
    body = ", ".join(f"{name} {kind}" for name, kind in columns.items())
    return f"create table {table} ({body}, primary key ({', '.join(key)}))"


def upsert(table: str) -> str:
    """insert .. on conflict (key) do update, every column. For games, a postponed listing
    never replaces a played one (the project's rule, so the rows match whatever the order)."""
    columns, key = TABLES[table]
    names = ", ".join(columns)
    values = ", ".join(f"%({name})s" for name in columns)
    updates = ", ".join(f"{name} = excluded.{name}" for name in columns if name not in key)
    guard = (" where excluded.coded_game_state is distinct from 'D' or mlb_games.coded_game_state = 'D'"
             if table == "mlb_games" else "")
    return (f"insert into {table} ({names}) values ({values}) "
            f"on conflict ({', '.join(key)}) do update set {updates}{guard}")


def run_naive(dsn: str, base_url: str, dates: list[date]) -> None:
    """Date by date: the schedule, then each final game's box score; one upsert per row,
    a commit per date's games and per game's lines."""
    statements = {table: upsert(table) for table in TABLES}
    with httpx.Client(base_url=base_url, timeout=60) as http, psycopg.connect(dsn) as conn:
        for table in TABLES:
            conn.execute(create_table(table))
        conn.commit()
        for day in dates:
            games = game_rows(fetch_schedule(http, day), day)
            for game in games:
                conn.execute(statements["mlb_games"], game)
            conn.commit()
            for game in games:
                if not wants_boxscore(game, day):
                    continue
                boxscore = fetch_boxscore(http, game["game_pk"])
                for row in batting_rows(game, boxscore):
                    conn.execute(statements["mlb_player_batting"], row)
                for row in pitching_rows(game, boxscore):
                    conn.execute(statements["mlb_player_pitching"], row)
                conn.commit()


# ---------------------------------------------------------------- peer 3: dlt

DLT_TYPES = {"bigint": "bigint", "integer": "bigint", "text": "text", "date": "date", "timestamptz": "timestamp",
             "boolean": "bool"}


def dlt_columns(table: str) -> dict[str, dict]:
    """Explicit column types: dlt creates no column for a value it has only seen as null
    (a reschedule date, a substitute's batting order) and would guess the rest."""
    columns, _ = TABLES[table]
    return {name: {"data_type": DLT_TYPES[kind], "nullable": True} for name, kind in columns.items()}


def dlt_credentials(dsn: str) -> str:
    """The URI as dlt takes it: dlt insists on a password and a host, and the embedded
    server's URI names no host (its socket directory is a `?host=` parameter, which libpq
    prefers to the host before the path, so the placeholder `localhost` changes nothing)."""
    parts = urlsplit(dsn)
    netloc = f"{parts.username or 'postgres'}:{parts.password or ''}@{parts.hostname or 'localhost'}"
    return urlunsplit(parts._replace(netloc=netloc + (f":{parts.port}" if parts.port else "")))


def run_dlt(dsn: str, base_url: str, dates: list[date], workdir: Path, dlt: Any) -> None:
    """A dlt source: games from each date's schedule; a hidden transformer fetches the box
    score of each final game, and two transformers reshape it into batting and pitching
    lines. Every table is merged on its natural key."""
    http = httpx.Client(base_url=base_url, timeout=60)

    # A game listed on two dates (postponed, then made up) comes twice in one load: the
    # latest listing wins, as in the project (make-ups come after their postponement).
    games_columns = dlt_columns("mlb_games")
    games_columns["listed_on"]["dedup_sort"] = "desc"

    @dlt.resource(name="mlb_games", primary_key="game_pk", write_disposition="merge", columns=games_columns)
    def games() -> Iterator[list[dict]]:
        for day in dates:
            yield game_rows(fetch_schedule(http, day), day)

    @dlt.transformer(name="boxscores", selected=False)
    def boxscores(listed: list[dict]) -> Iterator[dict]:
        for game in listed:
            if wants_boxscore(game, game["listed_on"]):
                yield {"game": game, "boxscore": fetch_boxscore(http, game["game_pk"])}

    @dlt.transformer(name="mlb_player_batting", primary_key=("game_pk", "player_id"), write_disposition="merge",
                     columns=dlt_columns("mlb_player_batting"))
    def batting(fetched: dict) -> Iterator[list[dict]]:
        yield batting_rows(fetched["game"], fetched["boxscore"])

    @dlt.transformer(name="mlb_player_pitching", primary_key=("game_pk", "player_id"), write_disposition="merge",
                     columns=dlt_columns("mlb_player_pitching"))
    def pitching(fetched: dict) -> Iterator[list[dict]]:
        yield pitching_rows(fetched["game"], fetched["boxscore"])

    @dlt.source(name="mlb", max_table_nesting=0)
    def mlb() -> tuple:
        listed = games()
        fetched = listed | boxscores  # one schedule fetch feeds both the games and the box scores
        return listed, fetched | batting, fetched | pitching

    pipeline = dlt.pipeline(pipeline_name="peers_dlt", pipelines_dir=str(workdir), dataset_name=SCHEMAS["dlt"],
                            destination=dlt.destinations.postgres(credentials=dlt_credentials(dsn)))
    try:
        pipeline.run(mlb())
    finally:
        http.close()


def import_dlt() -> Any:
    """dlt, or None with one line saying how to install it. Its anonymous telemetry is off:
    the benchmark makes no call outside this machine."""
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    try:
        import dlt
    except ImportError:
        print("dlt is not installed (pip install -e '.[bench]'): skipping the dlt peer", flush=True)
        return None
    return dlt


# ---------------------------------------------------------------- peer 1: the project

def run_project(env: dict, span: list[str], concurrency: int) -> None:
    cli(["run", "backfill", *span, "--wait", "--concurrency", str(concurrency)], env)


# ---------------------------------------------------------------- the server, the simulator

def database_dsn(server_dsn: str, name: str) -> str:
    """The server's URI with another database."""
    parts = urlsplit(server_dsn)
    if parts.scheme not in ("postgresql", "postgres"):
        raise SystemExit(f"--dsn must be a postgresql:// URI, not {server_dsn!r}")
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_databases(server_dsn: str) -> None:
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        for name in DATABASES.values():
            conn.execute(f"drop database if exists {name} with (force)")
            conn.execute(f"create database {name}")


def drop_databases(server_dsn: str) -> None:
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        for name in DATABASES.values():
            conn.execute(f"drop database if exists {name} with (force)")


# ---------------------------------------------------------------- checksums

def checksums(dsn: str, schema: str) -> dict[str, tuple[int, str]]:
    """Per table: (rows, md5 of the projection's rows in key order)."""
    result = {}
    with psycopg.connect(dsn) as conn:
        for table, projection in CHECKSUM_COLUMNS.items():
            key = ", ".join(TABLES[table][1])
            row = conn.execute(f"select count(*), md5(coalesce(string_agg(row({', '.join(projection)})::text, "
                               f"E'\\n' order by {key}), '')) from {schema}.{table}").fetchone()
            result[table] = (row[0], row[1])
    return result


# ---------------------------------------------------------------- main

def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def own_cpu() -> float:
    """CPU seconds of this process (the naive script and dlt run in it) and of the children
    it has waited for (the project's `pipeline run backfill`)."""
    return sum(usage.ru_utime + usage.ru_stime
               for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))


def measured(work, server_dsn: str, simulator_pid: int) -> tuple[float, dict[str, float | None]]:
    """Wall seconds of `work` and the core-seconds it cost: its own processes' ("client"),
    and the server's (None for a server on another machine) and the simulator's
    (harness.CpuMeter)."""
    meter, client = CpuMeter(server_dsn, simulator_pid), own_cpu()
    meter.start()
    wall = timed(work)
    return wall, {"client": own_cpu() - client, **meter.stop()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--season", type=int, default=2024)
    parser.add_argument("--start", type=date.fromisoformat, help="first date (with --end: a quick look)")
    parser.add_argument("--end", type=date.fromisoformat, help="last date, inclusive")
    parser.add_argument("--dsn", help="a PostgreSQL server to use instead of the embedded one "
                                      "(a postgresql:// URI; its peers_* databases are dropped and made again)")
    parser.add_argument("--concurrency", type=int, default=4, help="the project's worker concurrency")
    parser.add_argument("--skip-dlt", action="store_true", help="run only the project and the naive script")
    parser.add_argument("--keep", action="store_true", help="with --dsn: keep the three databases afterwards")
    parser.add_argument("--rounds", type=int, default=1,
                        help="load the season this many times, in a rotated order; ratios per round and median")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if bool(args.start) != bool(args.end):
        parser.error("--start and --end go together")
    if args.start and args.end < args.start:
        parser.error("--end is before --start")
    start, end = (args.start, args.end) if args.start else SOURCE.season_window(args.season)
    season = start.year
    dates = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    span = ["--season", str(args.season)] if not args.start else ["--start", str(start), "--end", str(end)]
    prerender = f"{start}:{end}" if args.start else f"{season}-03-01:{season}-11-30"
    dlt = None if args.skip_dlt else import_dlt()
    peers = ["project", "naive"] + (["dlt"] if dlt else [])

    home = Path(tempfile.mkdtemp(prefix="pipeline-peers-"))
    env = bench_env(home, database_url=False, PIPELINE_LOG_FORMAT="json")
    os.environ["DLT_DATA_DIR"] = str(home / "dlt")  # nothing of dlt's under ~/.dlt
    simulator, created = None, False
    rounds: list[dict[str, dict]] = []  # per round, per peer: wall, cpu, requests, checksums
    try:
        server_dsn = args.dsn or cli(["db", "url"], env).strip()
        dsns = {peer: database_dsn(server_dsn, name) for peer, name in DATABASES.items()}
        with psycopg.connect(server_dsn) as conn:
            server_version = conn.execute("show server_version").fetchone()[0].split()[0]
        started = time.perf_counter()
        simulator, base_url = start_simulator(env, "--season", str(season), "--prerender", prerender)
        prerender_seconds = time.perf_counter() - started
        project_env = {**env, "DATABASE_URL": dsns["project"], "PIPELINE_MLB_BASE_URL": base_url,
                       "PIPELINE_MLB_RATE_LIMIT": "0"}
        work = {
            "project": lambda: run_project(project_env, span, args.concurrency),
            "naive": lambda: run_naive(dsns["naive"], base_url, dates),
            "dlt": lambda: run_dlt(dsns["dlt"], base_url, dates, home / "dlt", dlt),
        }
        for round_ in range(args.rounds):
            recreate_databases(server_dsn)
            created = True
            shutil.rmtree(home / "dlt", ignore_errors=True)  # dlt's pipeline state: each round loads anew
            migrate_seconds = timed(lambda: cli(["db", "migrate"], project_env))
            figures: dict[str, dict] = {}
            for peer in peers[round_ % len(peers):] + peers[:round_ % len(peers)]:
                before = requests_served(base_url)
                print(f"round {round_ + 1}: loading: {PEER_NAMES[peer]} ...", file=sys.stderr, flush=True)
                wall, cpu = measured(work[peer], server_dsn, simulator.pid)
                after = requests_served(base_url)
                figures[peer] = {"wall": wall, "cpu": cpu, "requests": {
                    kind: count - before.get(kind, 0) for kind, count in after.items() if count > before.get(kind, 0)}}
            figures["project"]["stages"] = latest_run_stages(dsns["project"])
            figures["project"]["migrate"] = migrate_seconds
            for peer in peers:
                figures[peer]["sums"] = checksums(dsns[peer], SCHEMAS[peer])
            rounds.append(figures)
    finally:
        if args.dsn and created and not args.keep:
            drop_databases(args.dsn)
        if simulator:
            simulator.terminate()
            simulator.wait()
        if not args.dsn:
            subprocess.run([*CLI, "db", "stop", "--remove-data"], env=env, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)

    where = "embedded" if not args.dsn else urlsplit(args.dsn).hostname or "local socket"
    label = f"season {args.season}" if not args.start else "dates"
    print(f"peers: {label} {start}..{end} ({len(dates)} date{'s' if len(dates) != 1 else ''}), "
          f"PostgreSQL {server_version} ({where}), one simulator (box scores {prerender} prerendered "
          f"in {prerender_seconds:.1f} s)")
    agree = True
    for number, figures in enumerate(rounds, start=1):
        if len(rounds) > 1:
            print(f"round {number} of {len(rounds)}:")
        print_timings(peers, figures, args.concurrency)
        agree = print_checksums(peers, {peer: figures[peer]["sums"] for peer in peers}) and agree
    if len(rounds) > 1:
        print(f"over {len(rounds)} rounds (median of each round's ratio):")
        for peer in peers[1:]:
            ratios = [figures[peer]["wall"] / figures["project"]["wall"] for figures in rounds]
            print(f"  {PEER_NAMES[peer]:12} {statistics.median(ratios):.2f}x the project's "
                  f"(rounds: {', '.join(f'{ratio:.2f}x' for ratio in ratios)})")
    if not agree:
        raise SystemExit(1)


def cpu_text(cpu: dict[str, float | None]) -> str:
    server = cpu["server"]
    total = cpu["client"] + (server or 0.0) + cpu["simulator"]
    return (f"CPU: its processes {cpu['client']:.1f} + PostgreSQL "
            + ("(not on this machine)" if server is None else f"{server:.1f}")
            + f" + simulator {cpu['simulator']:.1f} = {total:.1f} core-s")


def print_timings(peers: list[str], figures: dict[str, dict], concurrency: int) -> None:
    for peer in peers:
        wall = figures[peer]["wall"]
        ratio = "" if peer == "project" else f" = {wall / figures['project']['wall']:.2f}x the project's"
        requests = figures[peer]["requests"]
        counted = ", ".join(f"{kind} {count}" for kind, count in requests.items())
        print(f"  {PEER_NAMES[peer]:12} {wall:7.1f} s{ratio}; API requests: {counted} "
              f"(total {sum(requests.values())})")
        print(f"    {cpu_text(figures[peer]['cpu'])}")
        if peer == "project":
            print(f"    (db migrate before it, not counted: {figures[peer]['migrate']:.1f} s; worker concurrency "
                  f"{concurrency}, rate limit off)")
            print("    stage       jobs   wall s    job s   requests   rows written")
            for stage in figures[peer]["stages"]:
                print(f"    {stage['stage']:10} {stage['jobs']:5} {float(stage['wall_seconds']):8.1f} "
                      f"{float(stage['job_seconds']):8.1f} {stage['requests'] or 0:10} {stage['rows_written'] or 0:14}")


def print_checksums(peers: list[str], sums: dict[str, dict[str, tuple[int, str]]]) -> bool:
    """Every table's rows and md5 per peer, each against the project's; True when all agree."""
    print("  checksums (rows, md5 of a fixed projection in key order):")
    agree = True
    for table in TABLES:
        reference = sums["project"][table]
        for peer in peers:
            rows, digest = sums[peer][table]
            same = (rows, digest) == reference
            agree = agree and same
            print(f"    {table:20} {PEER_NAMES[peer]:12} {rows:8} {digest}{'' if same else '  DIFFERS'}")
    names = " and ".join(PEER_NAMES[peer] for peer in peers)
    if agree:
        print(f"  {names} hold the same games, batting lines and pitching lines")
    else:
        print(f"  {names} do NOT hold the same data (see DIFFERS above)")
    return agree

if __name__ == "__main__":
    main()
