"""`pipeline export`: hand the pipeline's tables to other tools (a dbt `sources.yml`)."""

from __future__ import annotations

from pathlib import Path

import click
import yaml

from pipeline import db, sources
from pipeline.cli.options import migrated_dsn
from pipeline.docs.catalog import build_catalog


def freshness_days(source: sources.Source) -> int:
    """The source's freshness threshold in days: the `threshold:` of its freshness check."""
    for check in source.sql.files(f"quality/{source.name}/"):
        if check.name.endswith("/freshness"):
            return int(str(check.header.get("threshold", "3")).split()[0])
    return 3


def dbt_sources(docs, all_sources: list[sources.Source]) -> dict:
    """A dbt `sources.yml` document: one dbt source per schema (staging, curated)."""
    days = min((freshness_days(source) for source in all_sources), default=3)
    document = {"version": 2, "sources": []}
    for schema in ("staging", "curated"):
        tables = []
        for doc in (doc for doc in docs if doc.zone == schema):
            table = {
                "name": doc.name.split(".", 1)[1],
                "description": doc.description,
                "columns": [{"name": column.name, "description": column.description,
                             "data_type": column.data_type} for column in doc.columns],
            }
            if any(column.name == "updated_at" for column in doc.columns):
                table["loaded_at_field"] = "updated_at"
            else:
                table["freshness"] = None  # a table edited by hand (a seed) has no load time
            tables.append(table)
        document["sources"].append({
            "name": schema,
            "schema": schema,
            "description": f"sports-pipeline {schema} zone (filled by sql/{schema}/; lineage in `pipeline docs build`)",
            "freshness": {"warn_after": {"count": days, "period": "day"},
                          "error_after": {"count": 2 * days, "period": "day"}},
            "tables": tables,
        })
    return document


@click.group("export")
def export_group() -> None:
    """Export what the pipeline knows for other tools."""


@export_group.command("dbt-sources")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (default: standard output).")
def export_dbt_sources(output: Path | None) -> None:
    """Write a dbt sources.yml: the staging and curated tables, columns with descriptions,
    freshness thresholds from the source's freshness check.

    Example: pipeline export dbt-sources --output models/sources.yml
    """
    all_sources = sources.all_sources()
    with db.connect(migrated_dsn()) as conn:
        docs, _ = build_catalog(conn, all_sources)
    text = yaml.safe_dump(dbt_sources(docs, all_sources), sort_keys=False, allow_unicode=True, width=120)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text)
        click.echo(f"wrote {output}")


COMMANDS = [export_group]
