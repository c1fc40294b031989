"""`pipeline features`: the point-in-time feature sets: list them, export a training set
(features as of each game's date and the game's fantasy points) or the features as of one
date, streamed from Postgres."""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import date

import click

from pipeline import db, features, report
from pipeline.cli.options import DATE, migrated, migrated_dsn, source_option
from pipeline.errors import PipelineError


@click.group("features")
def features_group() -> None:
    """Point-in-time player features: list the sets, export training sets and snapshots."""


@features_group.command("list")
@source_option
@migrated
def features_list(dsn: str, source) -> None:
    """Show each feature set: its versions (* = the one its SQL file computes now), table,
    rows, as-of dates and columns.

    Example: pipeline features list
    """
    with db.connect(dsn) as conn:
        held = features.list_versions(conn, source)
        columns = {feature_set.name: features.feature_columns(conn, feature_set)
                   for feature_set in features.feature_sets(source)}
    rows = [(entry.feature_set.name, f"{entry.version}{'*' if entry.is_current else ''}", entry.feature_set.table,
             entry.rows, entry.first_as_of_date and entry.first_as_of_date.isoformat(),
             entry.last_as_of_date and entry.last_as_of_date.isoformat()) for entry in held]
    click.echo(report.table(["feature set", "version", "table", "rows", "first as of", "last as of"], rows))
    for name, names in columns.items():
        click.echo(f"\n{name} ({len(names)} columns): {', '.join(names)}")


def _format_option(func):
    return click.option("--format", "fmt", type=click.Choice(features.FORMATS), default="csv", show_default=True,
                        help="csv (a header row) or jsonl (one JSON object a line).")(func)


def _output_option(func):
    return click.option("--output", type=click.Path(dir_okay=False, writable=True), default=None,
                        help="Write to FILE instead of standard output.")(func)


@contextlib.contextmanager
def _opened(output: str | None):
    if output is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with open(output, "wb") as handle:
        yield handle


def _export(source, output: str | None, start: date, end: date, **options) -> None:
    if end < start:  # bad input is one line, before any database work
        raise PipelineError(f"the end date {end} is before the start date {start}")
    try:
        with db.connect(migrated_dsn()) as conn, _opened(output) as out:
            written = features.copy_features(conn, source, out, start, end, **options)
    except BrokenPipeError:  # piped into `head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    if output:
        click.echo(f"{written} rows written to {output}", err=True)


@features_group.command("training-set")
@source_option
@click.option("--start", type=DATE, required=True, help="First game date.")
@click.option("--end", type=DATE, required=True, help="Last game date.")
@click.option("--scoring", default="standard", show_default=True,
              help="The scoring system of the label and the fantasy features (curated.fantasy_scoring).")
@_format_option
@_output_option
def features_training_set(source, start: date, end: date, scoring: str, fmt: str,
                          output: str | None) -> None:
    """Stream one row per player-game of [START, END]: the features as of the game's date
    (built from earlier games only) and the label, that game's fantasy points. The first
    line names the feature-set versions.

    Example: pipeline features training-set --start 2024-04-01 --end 2024-09-30 --output train.csv
    """
    _export(source, output, start, end, labels=True, scoring_system=scoring, fmt=fmt)


@features_group.command("as-of")
@source_option
@click.argument("day", type=DATE)
@_format_option
@_output_option
def features_as_of(source, day: date, fmt: str, output: str | None) -> None:
    """Stream the features as of DAY of every player whose club has a game on DAY, one row
    per player and scoring system. The first line names the feature-set versions.

    Example: pipeline features as-of 2024-06-01 --format jsonl
    """
    _export(source, output, day, day, labels=False, fmt=fmt)


COMMANDS = [features_group]
