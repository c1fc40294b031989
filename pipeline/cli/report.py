"""`pipeline report`: one run's report as Markdown or JSON (what CI uploads)."""

from __future__ import annotations

import click

from pipeline import db, queries, run_report
from pipeline.cli.options import migrated
from pipeline.errors import PipelineError


@click.command("report")
@click.option("--run", "run_id", type=int, default=None, help="Run id (default: the latest run).")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@migrated
def report(dsn: str, run_id: int | None, fmt: str) -> None:
    """One run's report: its record, partitions, stage timings, errors, quality results.

    Example: pipeline report --run 7 --format md >> "$GITHUB_STEP_SUMMARY"
    """
    with db.connect(dsn) as conn:
        if run_id is None:
            run_id = queries.execute(conn, "run_latest").fetchone()[0]
            if run_id is None:
                raise PipelineError("no run yet (see `pipeline run --help`)")
        data = run_report.run_report(conn, run_id)
    click.echo(run_report.to_markdown(data) if fmt == "md" else run_report.to_json(data), nl=False)


COMMANDS = [report]
