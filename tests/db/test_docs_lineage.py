"""Docs, lineage and the dbt export: the site renders in headless Chromium with the
lineage graph visible; a new curated SQL file in a copy of the SQL tree is built by the
next run and shows in `docs build` and `sql lineage` with no Python change; the exported
sources.yml parses and lists every staging and curated table."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml
from click.testing import CliRunner

from pipeline import sources, sqlfiles
from pipeline.cli import main
from pipeline.runs.backfill import plan_backfill
from pipeline.sources import mlb
from tests.db.test_restage_retry import END, START, transport, work  # noqa: F401 (fixture)

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]

NEW_CURATED = """\
-- purpose:   games per club and date (an analyst's new table)
-- grain:     one row per date and team
-- keys:      official_date, team_id
-- partition: official_date (recomputed for the dates a run touched)
-- sources:   staging.mlb_games
with team_games as (
    select
        official_date,
        away_team_id as team_id
    from staging.mlb_games
    where official_date = any(%(dates)s::date[])
    union all
    select
        official_date,
        home_team_id as team_id
    from staging.mlb_games
    where official_date = any(%(dates)s::date[])
),

final as (
    select
        official_date,
        team_id,
        count(*) as games
    from team_games
    group by official_date, team_id
),

upserted as (
    insert into curated.mlb_team_games_daily as target (official_date, team_id, games)
    select
        official_date,
        team_id,
        games
    from final
    on conflict (official_date, team_id) do update set games = excluded.games
    where target.games is distinct from excluded.games
    returning 1
)

select count(*) as rows_written from upserted
"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed (.ci/run installs it)")
    pytest.skip("chromium is not installed (apt-get install chromium)")


def cli(dsn: str, *args: str):
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": dsn})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def analyst_tree(tmp_path):
    """A copy of the SQL tree with a new curated file, registered as the mlb source's SQL."""
    tree = tmp_path / "sql"
    shutil.copytree(sqlfiles.sql_root(), tree)
    (tree / "curated" / "mlb" / "team_games_daily.sql").write_text(NEW_CURATED)
    sources.register(dataclasses.replace(mlb.SOURCE, sql=sqlfiles.SqlTree(tree)))
    yield tree
    sources.register(mlb.SOURCE)


def test_a_new_curated_file_is_built_by_the_next_run_and_documented(dsn, conn, transport, analyst_tree, tmp_path):
    # the analyst's table (its migration, here a statement) and file; nothing in Python
    conn.execute("create table curated.mlb_team_games_daily (official_date date, team_id integer, "
                 "games integer not null, primary key (official_date, team_id))")
    conn.execute("comment on column curated.mlb_team_games_daily.games is 'games the club played that day'")

    planned = asyncio.run(plan_backfill(dsn, sources.get("mlb"), START, END))
    assert work(dsn, transport, planned) == "succeeded"
    built = conn.execute("select count(*), sum(games) from curated.mlb_team_games_daily").fetchone()
    finals = conn.execute("select count(*) from staging.mlb_games where official_date between %s and %s",
                          [START, END]).fetchone()[0]
    assert built[0] > 0 and built[1] == 2 * finals, "every game of the run's dates counted for both clubs"

    assert "curated/mlb/team_games_daily" in cli(dsn, "sql", "list")
    assert "no findings" in cli(dsn, "sql", "lint", "curated/mlb/team_games_daily")
    assert "staging__mlb_games --> curated__mlb_team_games_daily" in cli(dsn, "sql", "lineage")
    assert '"staging.mlb_games" -> "curated.mlb_team_games_daily";' in cli(dsn, "sql", "lineage", "--format", "dot")
    site = tmp_path / "site"
    cli(dsn, "docs", "build", "--output", str(site))
    page = (site / "tables" / "curated.mlb_team_games_daily.html").read_text()
    assert "games per club and date" in page and "games the club played that day" in page
    assert "one row per date and team" in page and "count(*) as games" in page
    assert 'data-table="curated.mlb_team_games_daily"' in (site / "index.html").read_text()


def test_docs_site_renders_in_chromium_with_the_lineage_graph(dsn, conn, transport, tmp_path):
    browser = chromium()
    assert work(dsn, transport, asyncio.run(plan_backfill(dsn, mlb.SOURCE, START, START))) == "succeeded"
    site = tmp_path / "site"
    cli(dsn, "docs", "build", "--output", str(site))
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "docs_index.png"
    screenshot.unlink(missing_ok=True)
    flags = [*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium'}", "--window-size=1400,1000"]
    index = (site / "index.html").as_uri()
    subprocess.run([browser, *flags, f"--screenshot={screenshot}", index], check=True, timeout=120,
                   capture_output=True)
    assert screenshot.stat().st_size > 20_000, "the screenshot is blank"
    dom = subprocess.run([browser, *flags, "--dump-dom", index], check=True, timeout=120,
                         capture_output=True, text=True).stdout
    # the browser parsed the inline SVG: every table a node, every header edge a curve
    nodes = set(re.findall(r'<g class="node" data-table="([^"]+)"', dom))
    assert {"raw.mlb_boxscore", "staging.mlb_games", "staging.mlb_player_batting",
            "curated.mlb_player_season_batting", "curated.mlb_team_standings"} <= nodes
    assert 'data-from="raw.mlb_schedule" data-to="staging.mlb_games"' in dom
    assert 'data-from="staging.mlb_player_batting" data-to="curated.mlb_player_season_batting"' in dom
    # a table page: columns with their COMMENT ON descriptions, checks with latest results
    page = (site / "tables" / "staging.mlb_player_batting.html").as_uri()
    dom = subprocess.run([browser, *flags, "--dump-dom", page], check=True, timeout=120,
                         capture_output=True, text=True).stdout
    assert "runs batted in" in dom and "value_ranges" in dom and "partitions failing" in dom
    assert "each player's batting line" in dom


def test_exported_sources_yml_lists_every_staging_and_curated_table(dsn, conn, tmp_path):
    output = tmp_path / "sources.yml"
    cli(dsn, "export", "dbt-sources", "--output", str(output))
    document = yaml.safe_load(output.read_text())
    assert document["version"] == 2
    exported = {f"{source['schema']}.{table['name']}" for source in document["sources"] for table in source["tables"]}
    in_database = {f"{schema}.{name}" for schema, name in conn.execute(
        "select table_schema, table_name from information_schema.tables as tables "
        "inner join pg_class on pg_class.relname = tables.table_name "
        "inner join pg_namespace on pg_namespace.oid = pg_class.relnamespace and pg_namespace.nspname = table_schema "
        "where table_schema in ('staging', 'curated') and not pg_class.relispartition").fetchall()}
    assert exported == in_database
    batting = next(table for source in document["sources"] for table in source["tables"]
                   if table["name"] == "mlb_player_batting")
    assert {"name": "rbi", "description": "runs batted in", "data_type": "integer"} in batting["columns"]
    assert batting["loaded_at_field"] == "updated_at"
    staging = next(source for source in document["sources"] if source["name"] == "staging")
    assert staging["freshness"]["warn_after"] == {"count": 3, "period": "day"}


def test_every_staging_and_curated_column_has_a_description(conn):
    missing = conn.execute(
        "select attrelid::regclass::text || '.' || attname from pg_attribute "
        "inner join pg_class on pg_class.oid = attrelid inner join pg_namespace on pg_namespace.oid = relnamespace "
        "where nspname in ('staging', 'curated') and relkind in ('r', 'p') and not relispartition "
        "and attnum > 0 and not attisdropped and col_description(attrelid, attnum) is null").fetchall()
    assert missing == [], "columns without COMMENT ON (add one in the migration that creates them)"


def test_docs_serve_serves_the_built_site(dsn, tmp_path):
    site = tmp_path / "site"
    cli(dsn, "docs", "build", "--output", str(site))
    command = [str(Path(sys.executable).with_name("pipeline")), "docs", "serve", "--dir", str(site), "--port", "0"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env={**os.environ, "DATABASE_URL": dsn})
    try:
        line = server.stdout.readline()
        url = re.search(r"at (http://\S+/) ", line).group(1)
        page = httpx.get(url + "tables/staging.mlb_games.html", timeout=10)
        assert page.status_code == 200 and "MLB&#39;s game id" in page.text
        assert httpx.get(url + "assets/style.css", timeout=10).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
