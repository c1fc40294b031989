"""Writes the static docs site: an index with the lineage graph and every table by zone,
then one page per table (columns, grain and keys, the SQL that fills it, its quality
checks and their latest results, freshness, upstream and downstream tables)."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import jinja2

from pipeline.docs.catalog import build_catalog
from pipeline.docs.graph import lineage_svg
from pipeline.lineage import ZONES
from pipeline.sources import Source

HERE = Path(__file__).resolve().parent


def page_name(table: str) -> str:
    return f"tables/{table}.html"


def build_site(conn, sources: list[Source], output: Path) -> list[Path]:
    """Write the site under `output` (replacing what a previous build wrote); returns the
    pages written."""
    docs, graph = build_catalog(conn, sources)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    output = Path(output)
    (output / "tables").mkdir(parents=True, exist_ok=True)
    shutil.copytree(HERE / "assets", output / "assets", dirs_exist_ok=True)
    built_at = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    documented = {doc.name for doc in docs}
    written = []
    index = output / "index.html"
    index.write_text(env.get_template("index.html").render(
        docs=docs, zones=ZONES, built_at=built_at, root="",
        svg=lineage_svg(graph, link=lambda name: page_name(name) if name in documented else "#"),
    ))
    written.append(index)
    for doc in docs:
        page = output / page_name(doc.name)
        page.write_text(env.get_template("table.html").render(
            doc=doc, built_at=built_at, root="../",
            svg=lineage_svg(graph, link=lambda name: f"{name}.html" if name in documented else "#",
                            highlight=doc.name),
        ))
        written.append(page)
    return written
