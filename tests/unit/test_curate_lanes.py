"""How a run's curated refresh splits into lanes (pipeline.curate): groups of files that
read nothing another group writes, spread over the lanes by their last recorded times."""

from __future__ import annotations

from pipeline.curate import balance_lanes, curated_files, curated_groups, estimated_seconds
from pipeline.sources import mlb


def test_a_file_stays_in_the_group_of_the_curated_tables_it_reads():
    groups = curated_groups(mlb.SOURCE)
    assert sorted(name for group in groups for name in group) == sorted(curated_files(mlb.SOURCE)), \
        "every curated file is in exactly one group"
    fantasy = next(group for group in groups if "curated/mlb/features_fantasy" in group)
    assert fantasy == ["curated/mlb/fantasy_points_game", "curated/mlb/features_fantasy"], \
        "features_fantasy reads curated.mlb_fantasy_points_game: same group, after it"
    assert ["curated/mlb/features_batting"] in groups, "a file that reads only staging is a group of its own"


def test_lanes_take_the_longest_groups_first_and_keep_dependency_order():
    groups = [["a"], ["b", "c"], ["d"], ["e"]]
    seconds = {"a": 3.0, "b": 1.0, "c": 1.5, "d": 2.0, "e": 0.5}
    lanes = balance_lanes(groups, seconds, 2)
    assert lanes == [["a", "e"], ["b", "c", "d"]], "3 + 0.5 s against 2.5 + 2 s: the longest group goes first"
    assert balance_lanes(groups, seconds, 1) == [["a", "b", "c", "d", "e"]]
    assert balance_lanes([["a"]], seconds, 2) == [["a"]], "never more lanes than groups"


def test_a_file_never_timed_is_estimated_by_its_length():
    estimate = estimated_seconds(mlb.SOURCE, {"curated/mlb/daily_totals": 0.05})
    assert estimate["curated/mlb/daily_totals"] == 0.05, "a recorded time wins"
    assert estimate["curated/mlb/features_fantasy"] > 2 * estimate["curated/mlb/team_standings"] > 0
    lanes = balance_lanes(curated_groups(mlb.SOURCE), estimate, 2)
    heavy = {"curated/mlb/features_fantasy", "curated/mlb/features_batting", "curated/mlb/features_pitching"}
    assert all(len(heavy & set(lane)) < 3 for lane in lanes), "the three feature files are not all in one lane"
