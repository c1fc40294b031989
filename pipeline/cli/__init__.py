"""`pipeline`: the command line, one module per command group. Every command has help with
an example; bad input gives one clear line and a non-zero exit (`--verbose` shows the
traceback)."""

from __future__ import annotations

import click
import psycopg

from pipeline import logs
from pipeline.cli import (alerts, archive, db, dlq, docs, export, features, health, partitions, quality, report, run,
                          schedule, serve, simulate, sql, status, worker)
from pipeline.config import SettingsError, load_settings
from pipeline.errors import PipelineError


class PipelineGroup(click.Group):
    """Turns library errors into one line for the user."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (PipelineError, SettingsError, psycopg.Error, OSError) as exc:
            if ctx.obj and ctx.obj.get("verbose"):
                raise
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise click.ClickException(message) from exc


@click.group(cls=PipelineGroup)
@click.option("--verbose", is_flag=True, help="Show tracebacks and debug logs.")
@click.version_option(package_name="sports-pipeline")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Postgres-native sports data pipeline.

    Example: pipeline db migrate && pipeline run backfill --start 2024-04-01 --end 2024-04-07 --wait
    """
    ctx.obj = {"verbose": verbose}
    logs.configure("DEBUG" if verbose else "INFO", load_settings().log_format)


for module in (db, run, worker, status, sql, simulate, quality, partitions, archive, schedule, dlq, docs, export, report,
               serve, health, alerts, features):
    for command in module.COMMANDS:
        main.add_command(command)
