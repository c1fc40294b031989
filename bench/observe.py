"""Benchmark: what one Prometheus scrape of `pipeline serve` costs as the job log grows.

Every metric is read from the database at scrape time (pipeline/observe/metrics.py), so
the scrape time grows with ops.job_log and procrastinate's job table. This fills both
with N synthetic rows (jobs of 4 stages over 30 days), then times the /metrics document
and the dashboard's data, best of R.

    python bench/observe.py                      # N = 10k, 100k, 1M on an embedded server
    python bench/observe.py --sizes 50000 --repeat 5
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import psycopg
from prometheus_client import generate_latest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from storage import embedded_dsn  # noqa: E402  (one embedded server for every bench script)

from pipeline import migrate  # noqa: E402
from pipeline.observe import dashboard, metrics, server  # noqa: E402

FILL_JOB_LOG = (
    "insert into ops.job_log (stage, source, endpoint, partition_key, started_at, finished_at, status, requests, "
    "bytes_landed, rows_written) select (array['extract', 'transform', 'aggregate', 'window'])[1 + i %% 4], 'mlb', "
    "'games', date '2024-04-01' + (i %% 30), now() - make_interval(secs => i %% 86400) - interval '1 second' * "
    "random(), now() - make_interval(secs => i %% 86400), case when i %% 50 = 0 then 'failed' else 'succeeded' end, "
    "i %% 20, (i %% 20) * 60000, i %% 300 from generate_series(1, %(rows)s) as i"
)
FILL_JOBS = (
    "insert into procrastinate_jobs (queue_name, task_name, status, attempts) select 'pipeline', "
    "(array['pipeline.extract', 'pipeline.transform'])[1 + i %% 2], 'succeeded', 1 + (i %% 7 = 0)::int "
    "from generate_series(1, %(rows)s) as i"
)


def best_of(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="job-log sizes to measure, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    dsn, stop = embedded_dsn()
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            migrate.migrate(conn)
        registry = metrics.registry_for(server.read_only(dsn))
        print(f"{'job log rows':>12} {'/metrics ms':>11} {'bytes':>7} {'dashboard ms':>12}")
        filled = 0
        for size in (int(part) for part in args.sizes.split(",")):
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(FILL_JOB_LOG, {"rows": size - filled})
                conn.execute(FILL_JOBS, {"rows": size - filled})
                conn.execute("analyze")
            filled = size
            body = generate_latest(registry)
            scrape = best_of(args.repeat, lambda: generate_latest(registry))

            def page() -> None:
                with psycopg.connect(dsn, autocommit=True) as conn:
                    dashboard.dashboard_data(conn)

            print(f"{size:>12} {scrape * 1000:>11.1f} {len(body):>7} {best_of(args.repeat, page) * 1000:>12.1f}")
    finally:
        stop()


if __name__ == "__main__":
    main()
