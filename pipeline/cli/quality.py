"""`pipeline quality`: run the data-quality checks, report results and trends."""

from __future__ import annotations

from datetime import date, timedelta

import click

from pipeline import db, quality, queries, report
from pipeline.cli.options import DATE, LIMIT, ROW_ID, async_conn, migrated, migrated_dsn, plain_dates, source_option
from pipeline.cli.outcome import EXIT_QUALITY, OutcomeError
from pipeline.errors import PipelineError


@click.group("quality")
def quality_group() -> None:
    """Data-quality checks: run them, report results and trends."""


@quality_group.command("run")
@source_option
@click.option("--start", type=DATE, required=True, help="First date partition to check.")
@click.option("--end", type=DATE, help="Last date partition to check (default: --start).")
def quality_run(source, start: date, end: date | None) -> None:
    """Run the checks of sql/quality/<source>/ on date partitions now and record the results;
    exit code 5 when an error check failed (its games are held back from curated).

    Example: pipeline quality run --start 2024-04-01 --end 2024-04-07
    """
    end = end or start
    if end < start:
        raise PipelineError(f"the end date {end} is before the start date {start}")
    dsn = migrated_dsn()

    async def work(conn):
        out = []
        day = start
        while day <= end:
            results = await quality.run_checks(conn, source, day, None)
            # a date these results block or release is owed a curated refresh (by the next run)
            await quality.owe_curated_refresh(conn, source, day, None, 0, results)
            for result in results:
                out.append((day, result.check.check_name, result.check.severity, result.rows_checked,
                            result.rows_failing, result.metric_value, result.check.threshold,
                            "pass" if result.passed else "FAIL"))
            day += timedelta(days=1)
        return out

    results = async_conn(dsn, work)
    click.echo(report.table(["partition", "check", "severity", "rows_checked", "rows_failing", "metric",
                             "threshold", "result"], plain_dates(results)))
    failed = [r for r in results if r[-1] == "FAIL" and r[2] == "error"]
    if failed:
        with db.connect(dsn) as conn:
            held = queries.execute(conn, "quality_held_back_games", {"start_date": start, "end_date": end}).fetchall()
        click.echo("Held back from curated\n" + report.table(["source", "date", "game_pk", "failing checks"],
                                                              plain_dates(held)))
        raise OutcomeError(f"{len(failed)} error check(s) failed: {len(held)} game(s) or date(s) held back from "
                           "curated", EXIT_QUALITY)
    click.echo(f"quality passed: {len(results)} check result(s) recorded")


@quality_group.command("report")
@click.option("--run", "run_id", type=ROW_ID, default=None, help="Run id (default: the latest run with results).")
@click.option("--limit", type=LIMIT, default=10, show_default=True, help="Runs in the trend.")
@migrated
def quality_report(dsn: str, run_id: int | None, limit: int) -> None:
    """Check results of a run, its failures (sample keys, quarantined payloads) and the trend.

    Example: pipeline quality report --run 3
    """
    with db.connect(dsn) as conn:
        for title, name, params in (("Checks", "quality_report", {"run_id": run_id}),
                                    ("Failures", "quality_failures", {"run_id": run_id}),
                                    ("Held back from curated", "quality_held_back_games",
                                     {"start_date": None, "end_date": None}),
                                    ("Trend", "quality_trend", {"limit": limit})):
            cursor = queries.execute(conn, name, params)
            rows = cursor.fetchall()
            click.echo(f"{title}\n" + (report.table([c.name for c in cursor.description], plain_dates(rows))
                                        if rows else "(none)"))
            click.echo("")


COMMANDS = [quality_group]
