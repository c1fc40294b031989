"""`pipeline simulate serve` (the local MLB Stats API) and `pipeline demo`."""

from __future__ import annotations

from datetime import date

import click

from pipeline.cli.demo import run_demo
from pipeline.cli.options import CONCURRENCY, DATE, PORT, SEASON
from pipeline.errors import PipelineError
from pipeline.simulator import faults
from pipeline.simulator.server import serve


@click.group("simulate")
def simulate_group() -> None:
    """The local MLB Stats API simulator."""


@simulate_group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=PORT, default=8765, show_default=True, help="0 picks a free port (printed).")
@click.option("--seed", default=0, show_default=True, help="Same seed, same league.")
@click.option("--season", type=SEASON, default=2024, show_default=True)
@click.option("--today", type=DATE, default=None,
              help="Simulated date: earlier games final, its games live, later ones scheduled "
                   "(default: the season is over). POST /__sim/clock moves it.")
@click.option("--correction-rate", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Fraction of final box scores that get a stat correction 1-3 days later (GET /__sim/corrections).")
@click.option("--bad-data-rate", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Fraction of box scores served with bad data (negative counts, hits > at-bats, "
                   "missing player ids, duplicated players).")
@click.option("--fault-rate", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Share of requests that fail (429 with Retry-After, 500/503, timeouts, resets, truncated or malformed bodies).")
@click.option("--fault-kinds", default=None, help="Comma-separated subset of the fault kinds to mix (default: all).")
@click.option("--outage", default=None, metavar="START:END", help="Fail every request from START to END seconds after the first one.")
@click.option("--latency-ms", type=float, default=0.0, show_default=True, help="Delay added to every answer.")
@click.option("--prerender", default=None, metavar="START:END",
              help="Render the box scores of these dates (YYYY-MM-DD:YYYY-MM-DD) before listening.")
@click.option("--cache-mb", type=click.IntRange(1, 65536), default=None,
              help="Rendered box scores kept in memory (default 64, or what --prerender needs).")
def simulate_serve(host: str, port: int, seed: int, season: int, today: date | None, correction_rate: float,
                   bad_data_rate: float, fault_rate: float, fault_kinds: str | None, outage: str | None,
                   latency_ms: float, prerender: str | None, cache_mb: int | None) -> None:
    """Serve the simulated MLB Stats API over HTTP until interrupted. Answers are
    deterministic from the seed (faults too); /__sim/stats counts requests and faults.

    Example: pipeline simulate serve --port 8765 --seed 7 --season 2024 --today 2024-05-01 --fault-rate 0.1
    """
    window = None
    if prerender:
        try:
            first, _, last = prerender.partition(":")
            window = (date.fromisoformat(first), date.fromisoformat(last))
        except ValueError:
            raise PipelineError(f"--prerender {prerender!r}: expected START:END as YYYY-MM-DD:YYYY-MM-DD") from None
        if window[1] < window[0]:
            raise PipelineError(f"--prerender {prerender!r}: the end date is before the start date")
    # a season of box scores is ~420 MB of JSON: a prerendered range keeps all it rendered
    cache_bytes = (cache_mb or (1024 if window else 64)) << 20
    plan = None
    if fault_rate or outage or latency_ms or fault_kinds:
        try:
            plan = faults.FaultPlan(
                rate=fault_rate, seed=seed, outage=faults.parse_outage(outage) if outage else None,
                kinds=tuple(kind.strip() for kind in fault_kinds.split(",")) if fault_kinds else faults.KINDS,
                latency_seconds=latency_ms / 1000,
            )
        except ValueError as exc:
            raise PipelineError(str(exc)) from None
    serve(host=host, port=port, seed=seed, season=season, today=today, correction_rate=correction_rate,
          bad_data_rate=bad_data_rate, faults=plan, cache_bytes=cache_bytes, prerender=window)


@click.command("demo")
@click.option("--start", type=DATE, default="2024-04-01", show_default=True)
@click.option("--end", type=DATE, default="2024-04-30", show_default=True)
@click.option("--seed", default=0, show_default=True)
@click.option("--concurrency", type=CONCURRENCY, default=None)
def demo(start: date, end: date, seed: int, concurrency: int | None) -> None:
    """Migrate, start the simulator, backfill a month through the worker, print a summary.

    Example: pipeline demo --start 2024-04-01 --end 2024-04-30
    """
    run_demo(start, end, seed=seed, concurrency=concurrency)


COMMANDS = [simulate_group, demo]
