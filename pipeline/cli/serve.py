"""`pipeline serve`: Prometheus metrics, the health verdict and the dashboard page."""

from __future__ import annotations

import click

from pipeline.cli.options import with_dsn
from pipeline.observe.server import make_server
from pipeline.ops_settings import health_thresholds


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Port to listen on (0: any free port).")
@with_dsn
def serve(dsn: str, host: str, port: int) -> None:
    """Serve /metrics (Prometheus), /health (JSON) and the dashboard at /, read-only,
    from the database: one endpoint for the whole fleet of workers.

    Example: pipeline serve --port 8001
    """
    server = make_server(host, port, dsn, health_thresholds())
    bound_host, bound_port = server.server_address[:2]
    click.echo(f"serving on http://{bound_host}:{bound_port}", nl=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


COMMANDS = [serve]
