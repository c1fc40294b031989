"""Point in time on a simulated month loaded through the real worker: features as of a
date D computed on the whole month equal those computed on a copy holding only the games
before D; the training-set export equals the as-of features joined to the labels and no
row's features use its own game."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import uuid
from collections import Counter
from datetime import date

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import curate, features, sqlfiles
from pipeline.curate import curated_files
from pipeline.runs.backfill import plan_backfill
from pipeline.simulator.api import Simulator
from pipeline.sources import mlb
from tests.db.test_incremental_lookback import CountingTransport, run

MONTH = (date(2024, 4, 1), date(2024, 4, 30))
FEATURE_TABLES = {
    "curated.mlb_features_batting": "player_id",
    "curated.mlb_features_pitching": "player_id",
    "curated.mlb_features_fantasy": "scoring_system, player_id",
    "curated.mlb_features_context": "team_id",
}


@pytest.fixture(scope="module")
def month_dsn(pg_server, template_db):
    """One database holding April 2024 from the simulator, backfilled through the worker;
    the tests of this module only read it (or roll back)."""
    name = f"pipeline_test_{uuid.uuid4().hex[:12]}"
    janitor = pg_server.janitor(name, template_dbname=template_db)
    janitor.init()
    dsn = pg_server.dsn(name)
    previous = os.environ.get("PIPELINE_MLB_BASE_URL")
    os.environ["PIPELINE_MLB_BASE_URL"] = "http://simulator.test"
    try:
        transport = CountingTransport(Simulator(seed=11, season=2024))
        run(dsn, transport, plan_backfill(dsn, mlb.SOURCE, *MONTH))
        yield dsn
    finally:
        if previous is None:
            os.environ.pop("PIPELINE_MLB_BASE_URL", None)
        else:
            os.environ["PIPELINE_MLB_BASE_URL"] = previous
        janitor.drop()


def rows_as_of(conn, day: date) -> dict[str, set[str]]:
    """Every feature row as of `day`, as text without its updated_at, per table."""
    return {table: {text for (text,) in conn.execute(
        f"select (to_jsonb(t) - 'updated_at')::text from {table} as t where as_of_date = %s", [day])}
        for table in FEATURE_TABLES}


def recompute_from_scratch(conn, dates: list[date]) -> None:
    for table in [*FEATURE_TABLES, "curated.mlb_fantasy_points_game"]:
        conn.execute(f"delete from {table}")
    for name in curated_files(mlb.SOURCE):
        if "features_" in name or name.endswith("fantasy_points_game"):
            sqlfiles.execute(conn, name, curate.refresh_params(dates, [2024]))


def test_features_as_of_a_date_equal_those_of_a_copy_holding_only_earlier_games(month_dsn):
    with psycopg.connect(month_dsn) as conn:
        counts = {table: conn.execute(f"select count(*) from {table}").fetchone()[0] for table in FEATURE_TABLES}
        assert all(counts.values()), f"the month has features: {counts}"

        @settings(max_examples=6, deadline=None, database=None)
        @given(day=st.dates(date(2024, 4, 2), MONTH[1]))
        def check(day: date) -> None:
            full = rows_as_of(conn, day)
            try:
                # the copy: no line of D or later, no game after D, D's games without results
                conn.execute("delete from staging.mlb_player_batting where official_date >= %s", [day])
                conn.execute("delete from staging.mlb_player_pitching where official_date >= %s", [day])
                conn.execute("delete from staging.mlb_games where official_date > %s", [day])
                conn.execute("update staging.mlb_games set away_score = null, home_score = null, "
                             "abstract_state = 'Preview', detailed_state = 'Scheduled' where official_date = %s "
                             "and coded_game_state not in ('D', 'C')", [day])
                dates = [d for (d,) in conn.execute("select distinct official_date from staging.mlb_games")]
                recompute_from_scratch(conn, dates)
                copy = rows_as_of(conn, day)
            finally:
                conn.rollback()
            assert any(full.values()), f"some club plays on {day}"
            for table in FEATURE_TABLES:
                assert copy[table] == full[table], \
                    f"{table} as of {day}: the whole month and a copy with only earlier games differ"

        check()


def read_export(conn, start: date, end: date, **options) -> tuple[str, list[dict]]:
    out = io.BytesIO()
    written = features.copy_features(conn, mlb.SOURCE, out, start, end, **options)
    header, _, body = out.getvalue().decode().partition("\n")
    parsed = list(csv.DictReader(io.StringIO(body)))
    assert written == len(parsed), "the count returned is the rows written"
    return header, parsed


def test_training_set_rows_equal_the_as_of_features_joined_to_their_labels(month_dsn):
    start, end = date(2024, 4, 12), date(2024, 4, 18)
    with psycopg.connect(month_dsn, autocommit=True) as conn:
        header, training = read_export(conn, start, end, labels=True, scoring_system="standard")
        assert header == "# feature sets: batting v1, context v1, fantasy v1, pitching v1; " \
                         "as of D: only games with official_date < D"
        labels = conn.execute("select official_date, player_id, game_pk, total_points::text "
                              "from curated.mlb_fantasy_points_game where scoring_system = 'standard' "
                              "and official_date between %s and %s", [start, end]).fetchall()
        expected = []
        for day in sorted({label[0] for label in labels}):
            _, as_of = read_export(conn, day, day, labels=False)
            by_player = {row["player_id"]: row for row in as_of if row["scoring_system"] == "standard"}
            assert len(by_player) == len([row for row in as_of if row["scoring_system"] == "standard"])
            for label_day, player_id, game_pk, points in labels:
                if label_day == day and str(player_id) in by_player:
                    row = dict(by_player[str(player_id)])
                    row["game_pk"], row["label_points"] = str(game_pk), points
                    expected.append(row)
        key = lambda row: (row["as_of_date"], int(row["player_id"]), int(row["game_pk"]))  # noqa: E731
        assert len(training) > 500
        assert sorted(training, key=key) == sorted(expected, key=key), \
            "each training row is the as-of features of its game's date joined to that game's label"
        assert list(training[0])[:6] == ["as_of_date", "player_id", "team_id", "scoring_system", "game_pk",
                                         "label_points"]
        unlabelled = len(labels) - len(training)
        assert 0 <= unlabelled < len(labels) * 0.05, "only a player's first game of the season has no features"

        # no row's features use its own game (or anything else on or after its date)
        played_before = Counter()
        for player_id, day, games in conn.execute(
                "select player_id, official_date, count(*) from curated.mlb_fantasy_points_game "
                "where scoring_system = 'standard' group by player_id, official_date"):
            played_before[(player_id, day)] += games
        batted = Counter()
        for player_id, day, games in conn.execute(
                "select player_id, official_date, count(*) from staging.mlb_player_batting group by 1, 2"):
            batted[(player_id, day)] += games
        for row in training:
            player_id, day = int(row["player_id"]), date.fromisoformat(row["as_of_date"])
            before = sum(n for (player, played), n in played_before.items() if player == player_id and played < day)
            assert int(row["fantasy_games_season"]) == before, \
                f"player {player_id} as of {day}: the season-to-date games are those before the game's date"
            if row["batting_games_season"]:
                at_bat = sum(n for (player, played), n in batted.items() if player == player_id and played < day)
                assert int(row["batting_games_season"]) == at_bat


def test_as_of_and_training_exports_in_jsonl_and_bad_input(month_dsn):
    with psycopg.connect(month_dsn, autocommit=True) as conn:
        out = io.BytesIO()
        written = features.copy_features(conn, mlb.SOURCE, out, date(2024, 4, 20), date(2024, 4, 20),
                                         labels=False, fmt="jsonl")
        lines = [json.loads(line) for line in out.getvalue().decode().splitlines()]
        assert lines[0]["feature_sets"] == {"batting": 1, "context": 1, "fantasy": 1, "pitching": 1}
        assert len(lines) - 1 == written > 100
        assert {line["as_of_date"] for line in lines[1:]} == {"2024-04-20"}
        with pytest.raises(Exception, match="no scoring system 'nope'"):
            features.copy_features(conn, mlb.SOURCE, io.BytesIO(), date(2024, 4, 1), date(2024, 4, 2),
                                   labels=True, scoring_system="nope")
        with pytest.raises(Exception, match="before the start date"):
            features.copy_features(conn, mlb.SOURCE, io.BytesIO(), date(2024, 4, 2), date(2024, 4, 1), labels=True)
