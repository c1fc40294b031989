"""The values every curated file runs with: the season bounds never leave out a date or a
season refreshed, and are whole years (what a yearly partition holds)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from pipeline.curate import refresh_params


@given(dates=st.lists(st.dates(date(1990, 1, 1), date(2060, 12, 31)), max_size=5),
       seasons=st.lists(st.integers(1990, 2060), max_size=3))
def test_the_season_bounds_hold_every_refreshed_date_and_season(dates, seasons):
    params = refresh_params(dates, seasons)
    start, end = params["season_start"], params["season_end"]
    assert (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    assert all(start <= day <= end for day in dates)
    assert all(start.year <= season <= end.year for season in seasons)
    assert params["dates"] == dates and params["seasons"] == seasons
