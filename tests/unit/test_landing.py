"""COPY text encoding and request keys, without a database."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

from hypothesis import given
from hypothesis import strategies as st

from pipeline.http import ApiRequest, ApiResponse
from pipeline.land import copy_line
from pipeline.sources import mlb


def unescape_copy_field(field: bytes) -> bytes:
    out, i = bytearray(), 0
    table = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("\\"): b"\\"}
    while i < len(field):
        if field[i] == ord("\\"):
            out += table[field[i + 1]]
            i += 2
        else:
            out.append(field[i])
            i += 1
    return bytes(out)


@given(st.text())
def test_copy_line_round_trips_any_json_body(text):
    body = json.dumps({"note": text}, ensure_ascii=False, indent=1).encode()
    response = ApiResponse(mlb.schedule_request(date(2024, 4, 1)), 200, body, datetime.now(timezone.utc))
    line = copy_line(response, run_id=7)
    assert line.endswith(b"\n") and line.count(b"\n") == 1, "one COPY row per response"
    fields = line[:-1].split(b"\t")
    assert len(fields) == 10
    assert unescape_copy_field(fields[-1]) == body


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
