"""What the bench scripts share: the pipeline CLI as a subprocess, the simulator on a free
port, and a run's stage timings. (`python bench/<script>.py` puts bench/ on sys.path.)"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterable, Iterator

import psycopg

from pipeline import queries

BIN = Path(sys.executable).parent
CLI = [str(BIN / "pipeline")] if (BIN / "pipeline").exists() else [sys.executable, "-m", "pipeline.cli"]


def bench_env(home: Path, *, database_url: bool = True, **settings: str) -> dict:
    """The environment a bench runs the CLI in: this one without PIPELINE_* and
    DATABASE_URL (nothing of the user's own setup leaks in), the state under `home`, the
    given PIPELINE_* `settings`, and DATABASE_URL passed on when set and `database_url`
    (the server to bench on; else the embedded one in `home`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_") and k != "DATABASE_URL"}
    env.update(PIPELINE_HOME=str(home / "state"), **settings)
    if database_url and os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    return env


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


def timed_cli(args: list[str], env: dict) -> tuple[float, int, float]:
    """Run `pipeline <args>` (a run with --wait): wall seconds, the process's peak RSS in KB
    and its CPU seconds, user and system (the in-process worker's, for a run with --wait)."""
    started = time.perf_counter()
    process = subprocess.Popen([*CLI, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"pipeline {' '.join(args)} failed:\n{process.stdout.read()}")
    return wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


# --- CPU: where a run's core-seconds go (Linux /proc; a server on another host is not counted)

TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int, children: bool = False) -> float:
    """CPU seconds (user + system) of process `pid` so far; with `children`, plus those of
    its children it has waited for (a server's ended backends). 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    return (utime + stime + (cutime + cstime if children else 0)) / TICK


def server_processes(dsn: str) -> tuple[int, list[int]] | None:
    """The postmaster of the server `dsn` names and its live children, when it runs on this
    machine and /proc shows it (else None)."""
    with psycopg.connect(dsn) as conn:  # its backend is read while it lives
        backend = conn.execute("select pg_backend_pid()").fetchone()[0]
        try:
            status = Path(f"/proc/{backend}/status").read_text()
        except OSError:
            return None
    postmaster = int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == postmaster:
                children.append(int(entry.name))
    return postmaster, children


def server_cpu(dsn: str) -> float | None:
    """CPU seconds the server `dsn` names has used so far (postmaster, its live children and
    the ended ones it reaped), or None for a server this machine cannot see."""
    processes = server_processes(dsn)
    if processes is None:
        return None
    postmaster, children = processes
    return process_cpu(postmaster, children=True) + sum(process_cpu(pid) for pid in children)


def machine_cpu() -> tuple[float, float]:
    """Seconds of all cores so far: (busy, idle), from /proc/stat."""
    values = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / TICK, idle / TICK


class CpuMeter:
    """Core-seconds between `start()` and `stop()`: the server's, the simulator's, and the
    machine's busy and idle time (the worker's come from its own rusage, `timed_cli`)."""

    def __init__(self, dsn: str, simulator_pid: int | None) -> None:
        self.dsn, self.simulator_pid = dsn, simulator_pid

    def _read(self) -> tuple[float | None, float, float, float]:
        busy, idle = machine_cpu()
        simulator = process_cpu(self.simulator_pid) if self.simulator_pid else 0.0
        return server_cpu(self.dsn), simulator, busy, idle

    def start(self) -> None:
        self.started = self._read()

    def stop(self) -> dict[str, float | None]:
        (server_0, simulator_0, busy_0, idle_0), (server_1, simulator_1, busy_1, idle_1) = self.started, self._read()
        return {
            "server": None if server_0 is None or server_1 is None else server_1 - server_0,
            "simulator": simulator_1 - simulator_0,
            "busy": busy_1 - busy_0,
            "idle": idle_1 - idle_0,
        }


def cpu_line(worker: float, used: dict[str, float | None], cores: int | None = None) -> str:
    """One line: the core-seconds of the worker, the server, the simulator and the rest, and
    the machine's idle share."""
    cores = cores or os.cpu_count() or 1
    server = used["server"]
    named = worker + (server or 0.0) + used["simulator"]
    total = used["busy"] + used["idle"]
    return (f"CPU: worker {worker:.1f}, PostgreSQL " + ("(not on this machine)" if server is None else f"{server:.1f}")
            + f", simulator {used['simulator']:.1f}, anything else {max(used['busy'] - named, 0.0):.1f} core-s; "
            f"{used['busy']:.1f} of {total:.1f} core-s busy on {cores} cores "
            f"({100 * used['idle'] / max(total, 1e-9):.0f} % idle)")


def jsonb_copy_stream(texts: Iterable[bytes]) -> Iterator[bytes]:
    """What a plain COPY of one jsonb column sends in the binary format, written out by
    hand: the header, a row per JSON text (jsonb's version byte, then the text as it is),
    the trailer."""
    yield b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
    for text in texts:
        yield struct.pack("!hi", 1, len(text) + 1) + b"\x01" + text
    yield struct.pack("!h", -1)
