"""`pipeline health`: ready or not, with a reason for each problem; the exit code says which."""

from __future__ import annotations

import json

import click

from pipeline import db
from pipeline.config import load_settings
from pipeline.observe.health import check_health
from pipeline.ops_settings import health_thresholds


@click.command("health")
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON (as /health serves it).")
def health(as_json: bool) -> None:
    """Whether the pipeline is ready: database reachable, migrations applied, a worker
    heartbeat, breakers closed, dead letters and data age under their thresholds.
    Exit code 0 when ready, 1 when not.

    Example: pipeline health || echo "not ready"
    """
    limits = health_thresholds()
    verdict = check_health(db.database_url(load_settings()), limits)
    if as_json:
        click.echo(json.dumps(verdict.as_json(), indent=2))
    else:
        for check in verdict.checks:
            click.echo(f"{'ok  ' if check.ok else 'FAIL'}  {check.name:13} {check.detail}")
        click.echo("ready" if verdict.ready else "not ready: " + "; ".join(verdict.reasons))
    if not verdict.ready:
        raise SystemExit(1)


COMMANDS = [health]
