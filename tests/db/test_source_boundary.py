"""The source boundary holds: a source defined only here (a tiny API with one endpoint
served over real HTTP, its own SQL in a temporary folder, its own tables) plans, extracts,
stages, aggregates and reports through the real worker with no change to any core module;
with a freshness query of its own, health, metrics and alerts watch its freshness too."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import json
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from pipeline import report, sources, sqlfiles
from pipeline.alerts import rules
from pipeline.alerts.evaluate import Evaluation, update_incidents
from pipeline.config import load_settings
from pipeline.errors import PipelineError
from pipeline.extract import ExtractContext
from pipeline.freshness import freshness_rows
from pipeline.http import ApiRequest
from pipeline.observe import metrics, server
from pipeline.observe.health import check_health
from pipeline.ops_settings import HealthThresholds
from pipeline.partition import Partition
from pipeline.queries import QUERIES
from pipeline.runs.backfill import plan_backfill
from pipeline.runs.progress import run_and_wait
from pipeline.runs.runtime import worker_runtime

START, END = date(2024, 6, 1), date(2024, 6, 3)


def points_on(day: date) -> list[dict]:
    return [{"id": item, "points": day.day * 10 + item} for item in range(1, 4)]


class ToyApi(BaseHTTPRequestHandler):
    """GET /scores?date=YYYY-MM-DD -> {"date": ..., "items": [{"id", "points"}]}."""

    served: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server name
        url = urlparse(self.path)
        day = date.fromisoformat(parse_qs(url.query)["date"][0])
        body = json.dumps({"date": day.isoformat(), "items": points_on(day)}).encode()
        ToyApi.served.append(self.path)
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet
        pass


SQL_FILES = {
    "staging/toy/scores.sql": """-- purpose:   each item's points on a day
-- grain:     one row per item and day
-- keys:      item_id, score_date
-- partition: score_date
-- sources:   raw.toy_scores
with latest as (
    select distinct on (request_key)
        raw_id,
        payload
    from raw.toy_scores
    where partition_date = %(partition_date)s
    order by request_key asc, last_seen_at desc, raw_id desc
),

final as (
    select
        (item ->> 'id')::integer as item_id,
        (latest.payload ->> 'date')::date as score_date,
        (item ->> 'points')::integer as points,
        latest.raw_id
    from latest
    cross join lateral jsonb_array_elements(latest.payload -> 'items') as item
)

insert into staging.toy_scores as target (item_id, score_date, points, raw_id)
select item_id, score_date, points, raw_id from final
on conflict (item_id, score_date) do update set points = excluded.points, raw_id = excluded.raw_id
where target.points is distinct from excluded.points
""",
    "curated/toy/daily_totals.sql": """-- purpose:   points per day over every item
-- grain:     one row per day
-- keys:      score_date
-- partition: score_date
-- sources:   staging.toy_scores
with final as (
    select score_date, sum(points) as points
    from staging.toy_scores
    where score_date = any(%(dates)s::date [])
    group by score_date
),

upserted as (
    insert into curated.toy_daily_totals as target (score_date, points)
    select score_date, points from final
    on conflict (score_date) do update set points = excluded.points
    where target.points is distinct from excluded.points
    returning 1
)

select count(*) as rows_written from upserted
""",
    "reports/toy/totals.sql": """-- purpose:   what the toy tables hold
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   staging.toy_scores, curated.toy_daily_totals
select
    (select count(*) from staging.toy_scores) as toy_items,
    (select sum(points) from curated.toy_daily_totals) as toy_points
""",
}

DDL = """
select ops.create_raw_table('toy_scores');
create table staging.toy_scores (
    item_id integer not null, score_date date not null, points integer not null, raw_id bigint not null,
    primary key (item_id, score_date));
create table curated.toy_daily_totals (score_date date primary key, points bigint not null);
"""


@dataclass(frozen=True)
class ToySource:
    sql: sqlfiles.SqlTree
    name: str = "toy"
    default_base_url: str = "http://127.0.0.1:9"
    concurrency: int = 2
    rate_limit: float = 0.0
    rate_burst: float = 1.0
    raw_tables: tuple[str, ...] = ("toy_scores",)
    table_endpoints: dict[str, str] = field(default_factory=lambda: {"toy_scores": "scores"})
    dated_endpoints: tuple[str, ...] = ("scores",)
    window_endpoint: str = "scores"
    checked_endpoints: tuple[str, ...] = ()
    raw_shapes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    queries: sqlfiles.SqlTree = QUERIES

    def plan(self, start: date, end: date) -> list[Partition]:
        return [Partition(self.name, "scores", start + timedelta(days=n)) for n in range((end - start).days + 1)]

    def season_window(self, season: int) -> tuple[date, date]:
        return date(season, 1, 1), date(season, 12, 31)

    async def extract(self, partition: Partition, ctx: ExtractContext) -> None:
        request = ApiRequest("scores", "/scores", partition.key, (("date", partition.key.isoformat()),))
        await ctx.land([await ctx.fetch(request)])

    async def extract_window(self, start, end, mode, ctx):
        raise PipelineError("the toy source has no incremental mode")

    async def window_start(self, conn, today, overlap_days):
        raise PipelineError("the toy source has no incremental mode")

    async def staged_scope(self, conn):
        cursor = await conn.execute("select coalesce(array_agg(distinct score_date), '{}') from staging.toy_scores")
        dates = (await cursor.fetchone())[0]
        return dates, sorted({day.year for day in dates})


@pytest.fixture
def toy_api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), ToyApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ToyApi.served = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def toy(tmp_path: Path):
    for name, text in SQL_FILES.items():
        path = tmp_path / "sql" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    source = sources.register(ToySource(sql=sqlfiles.SqlTree(tmp_path / "sql", sqlfiles.sql_root())))
    yield source
    sources.unregister(source.name)


def test_a_source_defined_outside_the_package_runs_end_to_end(dsn, conn, toy, toy_api, monkeypatch):
    monkeypatch.setenv("PIPELINE_TOY_BASE_URL", toy_api)
    conn.execute(DDL)
    assert "toy" in sources.available() and sources.get("toy") is toy

    async def go():
        planned = await plan_backfill(dsn, toy, START, END)
        return planned, await run_and_wait(worker_runtime(dsn, load_settings()), planned.run_id,
                                           concurrency=2, stream=io.StringIO())

    planned, progress = asyncio.run(go())

    assert progress.status == "succeeded", progress
    assert (planned.planned, planned.queued) == (3, 3)
    assert sorted(ToyApi.served) == [f"/scores?date={START + timedelta(days=n)}" for n in range(3)]
    assert conn.execute("select count(*) from raw.toy_scores").fetchone()[0] == 3
    staged = conn.execute("select score_date, item_id, points from staging.toy_scores order by 1, 2").fetchall()
    assert staged == [(START + timedelta(days=n), item["id"], item["points"])
                      for n in range(3) for item in points_on(START + timedelta(days=n))]
    totals = dict(conn.execute("select score_date, points from curated.toy_daily_totals").fetchall())
    assert totals == {START + timedelta(days=n): sum(i["points"] for i in points_on(START + timedelta(days=n)))
                      for n in range(3)}
    text = report.summary_report(conn, toy, planned.run_id)
    assert "what the toy tables hold (reports/toy/totals)" in text
    assert f"toy_points  {sum(totals.values())}" in text
    assert "staging.toy_scores" in text and "curated.toy_daily_totals" in text


# the toy's side of freshness, in its own queries folder: when its newest score reached staging
FRESHNESS_QUERY = """-- purpose:   when the newest toy score reached staging, and its date
-- grain:     one row, or none
-- keys:      none
-- partition: none
-- sources:   staging.toy_scores
select max(staged_at) as newest_final_at, max(score_date) as newest_final_date
from staging.toy_scores
having count(*) > 0
"""


def test_a_source_reports_its_own_freshness_to_health_metrics_and_alerts(dsn, conn, toy, tmp_path):
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "freshness_newest.sql").write_text(FRESHNESS_QUERY)
    sources.unregister(toy.name)
    reporting = sources.register(dataclasses.replace(toy, queries=sqlfiles.SqlTree(tmp_path / "queries", QUERIES.root)))
    conn.execute(DDL)
    conn.execute("alter table staging.toy_scores add column staged_at timestamptz not null default now()")
    assert "toy" not in {row[0] for row in freshness_rows(conn)}, "nothing staged: no freshness to report"

    conn.execute("insert into staging.toy_scores (item_id, score_date, points, raw_id, staged_at) "
                 "values (1, '2024-06-01', 5, 1, now() - interval '31 hours'), "
                 "(2, '2024-06-02', 7, 2, now() - interval '30 hours')")
    toy_row = {row[0]: row for row in freshness_rows(conn)}[reporting.name]
    assert toy_row[3] == date(2024, 6, 2)
    assert 30 * 3600 <= toy_row[4] < 31 * 3600

    text = generate_latest(metrics.registry_for(server.read_only(dsn))).decode()
    samples = {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
               for family in text_string_to_metric_families(text) for sample in family.samples}
    assert 30 * 3600 <= samples[("pipeline_data_freshness_seconds", (("source", "toy"),))] < 31 * 3600

    health = check_health(dsn, HealthThresholds(stale_hours=24))
    freshness = next(check for check in health.checks if check.name == "freshness")
    assert not freshness.ok and "toy: newest final game (2024-06-02)" in freshness.detail

    rules.add_rule(conn, "toy-stale", "data_stale", 24, 60)
    update_incidents(conn, [], Evaluation())
    opened = conn.execute("select subject, summary from ops.alert_incidents").fetchall()
    assert [subject for subject, _ in opened] == ["toy"], opened
    assert "threshold 24" in opened[0][1]
