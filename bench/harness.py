"""What the bench scripts share: the pipeline CLI as a subprocess, the simulator on a free
port, and a run's stage timings. (`python bench/<script>.py` puts bench/ on sys.path.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

from pipeline import queries

BIN = Path(sys.executable).parent
CLI = [str(BIN / "pipeline")] if (BIN / "pipeline").exists() else [sys.executable, "-m", "pipeline.cli"]


def cli(args: list[str], env: dict) -> str:
    """`pipeline <args>`'s output; a failure ends the bench with what the CLI printed."""
    result = subprocess.run([*CLI, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"pipeline {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def start_simulator(env: dict, *options: str) -> tuple[subprocess.Popen, str]:
    """`pipeline simulate serve` on a free port with `options` (e.g. --season, --prerender
    START:END: it renders those box scores before it listens); the process and its URL."""
    process = subprocess.Popen([*CLI, "simulate", "serve", "--port", "0", *options],
                               env=env, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline().strip()  # "simulator listening on URL" (other lines go to stderr)
    if not line.startswith("simulator listening on "):
        raise SystemExit("the simulator did not start")
    return process, line.rsplit(" ", 1)[-1]


def requests_served(base_url: str) -> dict[str, int]:
    """The simulator's request counts so far, by kind."""
    with urllib.request.urlopen(f"{base_url}/__sim/stats") as response:
        return json.load(response)["requests"]


def latest_run_stages(dsn: str) -> list[dict]:
    """Per stage of the newest run: jobs, wall and job seconds, requests, bytes, rows."""
    with psycopg.connect(dsn) as conn:
        run_id = conn.execute("select max(run_id) from ops.pipeline_runs").fetchone()[0]
        cursor = queries.execute(conn, "run_stage_timings", {"run_id": run_id})
        return [{column.name: value for column, value in zip(cursor.description, row)} for row in cursor.fetchall()]


def timed_cli(args: list[str], env: dict) -> tuple[float, int]:
    """Run `pipeline <args>` (a run with --wait): wall seconds and the process's peak RSS
    in KB (the in-process worker's, for a run with --wait)."""
    started = time.perf_counter()
    process = subprocess.Popen([*CLI, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"pipeline {' '.join(args)} failed:\n{process.stdout.read()}")
    return wall, usage.ru_maxrss
