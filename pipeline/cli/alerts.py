"""`pipeline alerts list|add|remove|test|evaluate`: the rules in ops.alert_rules and the
channels they notify."""

from __future__ import annotations

import click

from pipeline import db, queries, report
from pipeline.alerts import rules
from pipeline.alerts.channels import AlertMessage, deliver
from pipeline.alerts.evaluate import evaluate_alerts
from pipeline.cli.options import migrated
from pipeline.errors import PipelineError
from pipeline.ops_settings import alert_channels


@click.group("alerts")
def alerts() -> None:
    """Alert rules (kept in the database) and their channels (Slack, webhook, email).

    Example: pipeline alerts list
    """


@alerts.command("list")
@migrated
def list_rules(dsn: str) -> None:
    """Every rule: kind, threshold, cool-down, and what fires now; then the channels.

    Example: pipeline alerts list
    """
    with db.connect(dsn) as conn:
        cursor = queries.execute(conn, "alert_rule_list")
        click.echo(report.table([column.name for column in cursor.description], cursor.fetchall()))
    names = alert_channels().names()
    click.echo("\nchannels: " + (", ".join(names) if names else
                                 "none configured (PIPELINE_ALERT_SLACK_URL, _WEBHOOK_URL, _SMTP_URL + _EMAIL_TO)"))


@alerts.command("add")
@click.argument("name")
@click.option("--kind", required=True, type=click.Choice(list(rules.KINDS)), help="What the rule watches.")
@click.option("--threshold", type=click.FloatRange(min=0), default=0, show_default=True,
              help="breaker_open/queue_stuck: minutes; dead_letters: letters; data_stale: hours.")
@click.option("--cooldown", "cooldown_minutes", type=click.FloatRange(min=0), default=60, show_default=True,
              help="Minutes before a still-open incident alerts again.")
@migrated
def add(dsn: str, name: str, kind: str, threshold: float, cooldown_minutes: float) -> None:
    """Add a rule (or change the one of that name).

    Example: pipeline alerts add many-dead-letters --kind dead_letters --threshold 10 --cooldown 120
    """
    with db.connect(dsn) as conn:
        rules.add_rule(conn, name, kind, threshold, cooldown_minutes)
    click.echo(f"alert rule {name!r}: {kind}, threshold {threshold:g}, cool-down {cooldown_minutes:g} min")


@alerts.command("remove")
@click.argument("name")
@migrated
def remove(dsn: str, name: str) -> None:
    """Remove a rule, with its incidents.

    Example: pipeline alerts remove many-dead-letters
    """
    with db.connect(dsn) as conn:
        rules.remove_rule(conn, name)
    click.echo(f"alert rule {name!r} removed")


@alerts.command("test")
def test() -> None:
    """Send a test message to every configured channel; fails if any channel does.

    Example: PIPELINE_ALERT_SLACK_URL=https://hooks.slack.com/... pipeline alerts test
    """
    channels = alert_channels()
    if not channels.names():
        raise PipelineError("no alert channel is configured (PIPELINE_ALERT_SLACK_URL, PIPELINE_ALERT_WEBHOOK_URL, "
                            "PIPELINE_ALERT_SMTP_URL with PIPELINE_ALERT_EMAIL_TO, or [alerts] in pipeline.toml)")
    message = AlertMessage(event="test", rule="test", kind="test", subject="pipeline",
                           summary="a test message from `pipeline alerts test`")
    failed = []
    for channel in channels.names():
        try:
            deliver(channels, channel, message)
            click.echo(f"{channel}: delivered")
        except Exception as exc:  # every channel is tried; each failure is reported
            failed.append(f"{channel}: {type(exc).__name__}: {exc}")
    if failed:
        raise PipelineError("delivery failed: " + "; ".join(failed))


@alerts.command("evaluate")
@migrated
def evaluate(dsn: str) -> None:
    """Evaluate the rules now (workers do it every minute) and deliver what is owed.

    Example: pipeline alerts evaluate
    """
    result = evaluate_alerts(dsn, alert_channels())
    click.echo(f"opened {result.opened}, reminded {result.reminded}, resolved {result.resolved}; "
               f"delivered {result.delivered}, delivery failed {result.failed}")


COMMANDS = [alerts]
