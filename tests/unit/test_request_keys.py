"""Request keys and plans, without a database."""

from __future__ import annotations

from datetime import date

from pipeline.http import ApiRequest
from pipeline.sources import mlb


def test_request_key_is_canonical():
    request = ApiRequest("schedule", "/api/v1/schedule", date(2024, 4, 1), (("date", "2024-04-01"), ("sportId", "1")))
    assert request.key == mlb.schedule_request(date(2024, 4, 1)).key == "/api/v1/schedule?date=2024-04-01&sportId=1"
    assert mlb.boxscore_request(745482, date(2024, 7, 2)).request_params == {"gamePk": 745482}


def test_plan_has_one_partition_per_date_and_one_per_season():
    partitions = mlb.SOURCE.plan(date(2024, 12, 30), date(2025, 1, 2))
    assert [(p.endpoint, p.key.isoformat()) for p in partitions] == [
        ("teams", "2024-01-01"), ("teams", "2025-01-01"),
        ("games", "2024-12-30"), ("games", "2024-12-31"), ("games", "2025-01-01"), ("games", "2025-01-02"),
    ]
