"""`pipeline docs`: build the static docs site (tables, columns, SQL, checks, lineage), serve it."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path

import click

from pipeline import db, docs, sources
from pipeline.cli.options import migrated_dsn


@click.group("docs")
def docs_group() -> None:
    """The docs site: every table, its columns, SQL, quality checks, freshness and lineage."""


@docs_group.command("build")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True,
              help="The folder to write the site to.")
def docs_build(output: Path) -> None:
    """Write the static docs site (no internet needed: no script, no CDN).

    Example: pipeline docs build --output site && pipeline docs serve
    """
    with db.connect(migrated_dsn()) as conn:
        pages = docs.build_site(conn, sources.all_sources(), output)
    click.echo(f"wrote {len(pages)} pages to {output}/ (open {output / 'index.html'})")


@docs_group.command("serve")
@click.option("--dir", "directory", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=Path("site"), show_default=True, help="The built site.")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
def docs_serve(directory: Path, port: int, host: str) -> None:
    """Serve a built docs site over HTTP until interrupted.

    Example: pipeline docs serve --port 8000
    """
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    with http.server.ThreadingHTTPServer((host, port), handler) as server:
        click.echo(f"serving {directory}/ at http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


COMMANDS = [docs_group]
