"""Operator input is checked where it enters: every CLI option and every setting of this
pipeline's own given a bad value gives one `Error:` line naming the value, a non-zero exit,
and nothing queued or written (no run, no job, no schedule, no partition). Archive manifests
are checked against a schema, and their file names stay inside the archive folder."""

from __future__ import annotations

import asyncio
import json

import pytest
from click.testing import CliRunner

from pipeline import archive
from pipeline.cli import main
from pipeline.errors import PipelineError

RANGE = ["--start", "2024-04-01", "--end", "2024-04-02"]

# (command line, environment, what the Error: line must name)
BAD_INPUT = [
    (["run", "backfill", "--season", "99999"], {}, "99999"),
    (["run", "backfill", "--season", "1492"], {}, "1492"),
    (["run", "backfill", "--season", "soon"], {}, "soon"),
    (["run", "backfill", "--start", "2024-01-01", "--end", "9999-12-31"], {}, "9999-12-31"),
    (["run", "backfill", "--start", "1700-01-01", "--end", "1700-01-02"], {}, "1700-01-01"),
    (["run", "backfill", "--start", "2024-04-10", "--end", "2024-04-01"], {}, "2024-04-01"),
    (["run", "backfill", *RANGE, "--wait", "--concurrency", "-1"], {}, "-1"),
    (["run", "backfill", *RANGE, "--wait", "--concurrency", "0"], {}, "0"),
    (["run", "lookback", "--days", "5000"], {}, "5000"),
    (["run", "lookback", "--days", "100000000"], {}, "100000000"),
    (["run", "lookback", "--days", "0"], {}, "0"),
    (["run", "lookback", "--days", "-7"], {}, "-7"),
    (["run", "lookback", "--today", "3024-01-01"], {}, "3024-01-01"),
    (["run", "incremental", "--overlap-days", "-1"], {}, "-1"),
    (["run", "restage", "--start", "0999-01-01", "--end", "2024-01-01"], {}, "0999-01-01"),
    (["run", "retry", "0"], {}, "0"),
    (["run", "retry", "-3"], {}, "-3"),
    (["quality", "run", "--start", "9999-01-01"], {}, "9999-01-01"),
    (["partitions", "maintain", "--premake", "100000"], {}, "100000"),
    (["partitions", "maintain", "--premake", "-1"], {}, "-1"),
    (["archive", "restore", "--partition", "../../../../etc/hostname"], {}, "../../../../etc/hostname"),
    (["archive", "export", "--partition", "mlb_boxscore; drop table x"], {}, "mlb_boxscore; drop table x"),
    (["simulate", "serve", "--port", "99999"], {}, "99999"),
    (["simulate", "serve", "--port", "-1"], {}, "-1"),
    (["simulate", "serve", "--season", "99999"], {}, "99999"),
    (["schedule", "add", "never", "--cron", "0 0 31 2 *", "--mode", "lookback"], {}, "0 0 31 2 *"),
    (["schedule", "add", "zero", "--cron", "0 9 * * *", "--mode", "lookback", "--param", "days=0"], {}, "days=0"),
    (["schedule", "add", "long", "--cron", "0 9 * * *", "--mode", "lookback", "--param", "days=400"], {},
     "days=400"),
    (["dlq", "list", "--limit", "0"], {}, "0"),
    (["dlq", "replay", "--id", "-1"], {}, "-1"),
    (["worker", "--concurrency", "0"], {}, "0"),
    (["status", "--limit", "-5"], {}, "-5"),
    (["run", "backfill", *RANGE], {"PIPELINE_MLB_REQUEST_DEADLINE": "soon"}, "PIPELINE_MLB_REQUEST_DEADLINE"),
    (["run", "backfill", *RANGE], {"PIPELINE_MLB_REQUEST_DEADLINE": "0"}, "PIPELINE_MLB_REQUEST_DEADLINE"),
    (["run", "backfill", *RANGE], {"PIPELINE_MLB_MAX_BODY_MB": "-5"}, "PIPELINE_MLB_MAX_BODY_MB"),
    (["run", "backfill", *RANGE], {"PIPELINE_MLB_MAX_DEPTH": "1"}, "PIPELINE_MLB_MAX_DEPTH"),
]


def written(conn) -> tuple:
    return conn.execute(
        "select (select count(*) from ops.pipeline_runs), (select count(*) from procrastinate_jobs), "
        "(select count(*) from ops.schedules), (select count(*) from ops.pipeline_checkpoints), "
        "(select count(*) from pg_inherits where inhparent = 'raw.mlb_boxscore'::regclass)").fetchone()


@pytest.mark.parametrize("args,env,names", BAD_INPUT, ids=lambda value: " ".join(value) if isinstance(value, list)
                         else None)
def test_a_bad_value_is_one_error_line_and_nothing_queued(dsn, conn, monkeypatch, args, env, names):
    monkeypatch.setenv("DATABASE_URL", dsn)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    before = written(conn)

    result = CliRunner().invoke(main, args)

    assert result.exit_code != 0, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    assert names in errors[0], f"the error names the bad value: {errors[0]}"
    assert "Traceback" not in result.output
    assert written(conn) == before, "nothing was queued or written"


def test_a_percent_in_the_database_password_is_never_shown(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://etl:s3cr%zzt@127.0.0.1:1/pipeline")
    for args in (["db", "status"], ["--verbose", "db", "status"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code != 0
        assert "s3cr" not in result.output and "s3cr" not in str(result.exception or "")
    assert result.output.count("Error:") <= 1


def manifest(tmp_path, **changes) -> str:
    data = tmp_path / "mlb_boxscore_y2024m04.copy.gz"
    data.write_bytes(b"")
    document = {
        "table_name": "mlb_boxscore", "partition_name": "mlb_boxscore_y2024m04", "range_start": "2024-04-01",
        "range_end": "2024-05-01", "columns": ["raw_id"], "row_count": 0, "rows_md5": "0" * 32,
        "content_sha256": "0" * 64, "file_name": data.name, "file_sha256": "0" * 64,
        "exported_at": "2024-06-01T00:00:00+00:00", **changes,
    }
    path = tmp_path / "mlb_boxscore_y2024m04.manifest.json"
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize("changes,message", [
    ({"row_count": "many"}, "row_count"),
    ({"columns": "raw_id"}, "columns"),
    ({"table_name": "raw.x; drop"}, "table_name"),
    ({"extra": 1}, "extra"),
    ({"file_name": "../../../../etc/hostname"}, "file_name"),
    ({"file_name": ".."}, "file_name"),
])
def test_a_manifest_is_checked_against_its_schema_and_confined_to_its_folder(conn, tmp_path, changes, message):
    async def restore():
        import psycopg

        async with await psycopg.AsyncConnection.connect(conn.info.dsn, autocommit=True) as aconn:
            return await archive.restore_partition(aconn, manifest(tmp_path, **changes))

    with pytest.raises(PipelineError, match="not a valid manifest|outside the archive folder") as caught:
        asyncio.run(restore())
    assert message in str(caught.value)


def test_a_manifest_of_the_wrong_shape_is_one_error_line(dsn, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", dsn)
    (tmp_path / "mlb_boxscore_y2024m04.manifest.json").write_text("[1, 2, 3]")
    result = CliRunner().invoke(main, ["archive", "restore", "--partition", "mlb_boxscore_y2024m04",
                                       "--dir", str(tmp_path)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert [line for line in result.output.splitlines() if line.startswith("Error:")] == [
        f"Error: {tmp_path}/mlb_boxscore_y2024m04.manifest.json is not a valid manifest: the document: "
        "[1, 2, 3] is not of type 'object'"]
