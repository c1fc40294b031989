"""How a run's curated refresh splits into lanes (pipeline.curate): groups of files that
read nothing another group writes, taken by whichever lane is free, longest first by
their last recorded times."""

from __future__ import annotations

import asyncio

from pipeline.curate import curated_files, curated_groups, estimated_seconds, longest_first, take_groups
from pipeline.sources import mlb


def test_a_file_stays_in_the_group_of_the_curated_tables_it_reads():
    groups = curated_groups(mlb.SOURCE)
    assert sorted(name for group in groups for name in group) == sorted(curated_files(mlb.SOURCE)), \
        "every curated file is in exactly one group"
    fantasy = next(group for group in groups if "curated/mlb/features_fantasy" in group)
    assert fantasy == ["curated/mlb/fantasy_points_game", "curated/mlb/features_fantasy"], \
        "features_fantasy reads curated.mlb_fantasy_points_game: same group, after it"
    assert ["curated/mlb/features_batting"] in groups, "a file that reads only staging is a group of its own"


def run_lanes(pending: list[list[str]], seconds: dict[str, float], lanes: int) -> list[list[str]]:
    """The files each of `lanes` lanes refreshed, each group taking `seconds` (sleeps)."""
    ran: list[list[str]] = [[] for _ in range(lanes)]

    def refresh_in(lane: int):
        async def refresh_group(names: list[str]) -> int:
            ran[lane].extend(names)
            await asyncio.sleep(sum(seconds[name] for name in names))
            return len(names)
        return refresh_group

    async def main() -> int:
        return sum(await asyncio.gather(*(take_groups(pending, refresh_in(lane)) for lane in range(lanes))))

    assert asyncio.run(main()) == sum(len(group) for group in ran), "every file's rows are counted once"
    return ran


def test_lanes_take_the_longest_groups_first_and_keep_dependency_order():
    groups = [["a"], ["b", "c"], ["d"], ["e"]]
    seconds = {"a": 3.0, "b": 1.0, "c": 1.5, "d": 2.0, "e": 0.5}
    assert longest_first(groups, seconds) == [["a"], ["b", "c"], ["d"], ["e"]]
    assert longest_first([["e"], ["d"], ["a"]], seconds) == [["a"], ["d"], ["e"]]
    scaled = {name: value / 20 for name, value in seconds.items()}
    assert run_lanes(longest_first(groups, seconds), scaled, 2) == [["a", "e"], ["b", "c", "d"]], \
        "3 s and 2.5 s start; the 2.5 s lane takes d, the 3 s lane e"
    assert run_lanes(longest_first(groups, seconds), scaled, 1) == [["a", "b", "c", "d", "e"]]


def test_a_lane_that_is_free_takes_the_next_group_whatever_the_estimates_said():
    # estimated: x the longest by far; in fact x is quick and y the slow one
    estimate = {"x": 9.0, "y": 1.0, "z": 1.0, "w": 1.0}
    actual = {"x": 0.01, "y": 0.4, "z": 0.05, "w": 0.05}
    ran = run_lanes(longest_first([["y"], ["x"], ["z"], ["w"]], estimate), actual, 2)
    assert ran == [["x", "z", "w"], ["y"]], "the lane done with x takes z and w; y's lane is still busy"


def test_a_file_never_timed_is_estimated_by_its_length():
    estimate = estimated_seconds(mlb.SOURCE, {"curated/mlb/daily_totals": 0.05})
    assert estimate["curated/mlb/daily_totals"] == 0.05, "a recorded time wins"
    assert estimate["curated/mlb/features_fantasy"] > 2 * estimate["curated/mlb/team_standings"] > 0
    first = longest_first(curated_groups(mlb.SOURCE), estimate)[:2]
    heavy = {"curated/mlb/features_fantasy", "curated/mlb/features_batting", "curated/mlb/features_pitching"}
    assert all(heavy & set(group) for group in first), "the feature files' groups are taken first"
