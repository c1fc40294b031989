"""Prometheus metrics, read from the database at scrape time.

Every value lives in Postgres: runs, partitions, the queue, workers, dead letters, breakers,
rate-limit buckets, quality results, watermarks and freshness, and the counters of what
workers did (from `ops.job_log`, which every job step writes). So one endpoint shows the
whole fleet, however many workers run on however many hosts, and a worker that restarts
loses no count.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import psycopg
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector, CollectorRegistry

from pipeline import queries
from pipeline.freshness import freshness_rows

log = logging.getLogger(__name__)

# job durations (seconds): a transform takes ~0.1 s, a window extract can take minutes
DURATION_BOUNDS = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0]
LIVE_WORKER_SECONDS = 60.0


def _rows(conn, name: str, params: dict | None = None) -> list[tuple]:
    return queries.execute(conn, name, params).fetchall()


def _gauge(name: str, documentation: str, labels: list[str], rows) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=labels)
    for *values, number in rows:
        family.add_metric([str(value) for value in values], float(number or 0))
    return family


def state_metrics(conn) -> Iterator[Metric]:
    """Where things stand now (gauges)."""
    yield _gauge("pipeline_runs", "Runs by source, mode and status.", ["source", "mode", "status"],
                 _rows(conn, "metrics_runs"))
    yield _gauge("pipeline_partitions", "Partition checkpoints by source, endpoint and status.",
                 ["source", "endpoint", "status"], _rows(conn, "metrics_partitions"))
    yield _gauge("pipeline_queue_jobs", "procrastinate jobs by task and status.", ["task", "status"],
                 _rows(conn, "metrics_queue"))
    age = _rows(conn, "queue_oldest_age")[0][0]
    yield GaugeMetricFamily("pipeline_queue_oldest_job_age_seconds",
                            "Seconds the oldest due job has waited in the queue (0 when none).", value=age)
    live, _ = _rows(conn, "workers_live", {"within_seconds": LIVE_WORKER_SECONDS})[0]
    yield GaugeMetricFamily("pipeline_workers_live",
                            f"Workers with a heartbeat in the last {LIVE_WORKER_SECONDS:.0f} s.", value=live)
    yield _gauge("pipeline_dead_letters_open", "Open dead letters by source and endpoint.", ["source", "endpoint"],
                 _rows(conn, "metrics_dead_letters"))
    yield from _source_metrics(_rows(conn, "metrics_sources"))
    quality = _rows(conn, "metrics_quality")
    yield _gauge("pipeline_quality_partitions_failing",
                 "Partitions whose latest result of a quality check failed.", ["source", "check", "severity"],
                 [(source, check, severity, failing) for source, check, severity, _, failing in quality])
    yield _gauge("pipeline_quality_partitions_passing",
                 "Partitions whose latest result of a quality check passed.", ["source", "check", "severity"],
                 [(source, check, severity, passing) for source, check, severity, passing, _ in quality])
    yield from _freshness_metrics(freshness_rows(conn))


def _source_metrics(rows) -> Iterator[Metric]:
    state = GaugeMetricFamily("pipeline_breaker_state", "1 for the state each source's circuit breaker is in.",
                              labels=["source", "state"])
    failures = GaugeMetricFamily("pipeline_breaker_consecutive_failures",
                                 "Consecutive failures the breaker counted.", labels=["source"])
    opened = GaugeMetricFamily("pipeline_breaker_opened_timestamp_seconds",
                               "When the breaker last opened (epoch seconds).", labels=["source"])
    tokens = GaugeMetricFamily("pipeline_rate_limit_tokens", "Tokens in the source's shared bucket now.",
                               labels=["source"])
    for source, current, consecutive, _, opened_at, bucket in rows:
        for name in ("closed", "open", "half_open"):
            state.add_metric([source, name], 1.0 if current == name else 0.0)
        failures.add_metric([source], consecutive)
        if opened_at is not None:
            opened.add_metric([source], opened_at)
        if bucket is not None:
            tokens.add_metric([source], bucket)
    yield from (state, failures, opened, tokens)


def _freshness_metrics(rows) -> Iterator[Metric]:
    watermark = GaugeMetricFamily("pipeline_watermark_timestamp_seconds",
                                  "The incremental watermark (epoch seconds).", labels=["source"])
    landed = GaugeMetricFamily("pipeline_newest_final_game_timestamp_seconds",
                               "When the newest final game reached staging (epoch seconds).", labels=["source"])
    freshness = GaugeMetricFamily("pipeline_data_freshness_seconds",
                                  "Seconds since the newest final game reached staging.", labels=["source"])
    for source, mark, newest, _, age in rows:
        if mark is not None:
            watermark.add_metric([source], mark)
        if newest is not None:
            landed.add_metric([source], newest)
            freshness.add_metric([source], age)
    yield from (watermark, landed, freshness)


def work_metrics(conn) -> Iterator[Metric]:
    """What workers did (counters and a histogram), summed over the job log."""
    totals = _rows(conn, "metrics_job_totals")
    labels = ["source", "endpoint", "stage", "status"]
    families = {
        "jobs": CounterMetricFamily("pipeline_jobs", "Job executions (attempts) by outcome.", labels=labels),
        "requests": CounterMetricFamily("pipeline_requests", "HTTP requests sent to the source API.", labels=labels),
        "bytes": CounterMetricFamily("pipeline_bytes_landed", "Response bytes landed in raw.", labels=labels),
        "rows": CounterMetricFamily("pipeline_rows_written", "Rows written by the SQL of a job.", labels=labels),
        "seconds": CounterMetricFamily("pipeline_job_seconds", "Seconds spent in jobs.", labels=labels),
    }
    for source, endpoint, stage, status, jobs, requests, bytes_landed, rows_written, seconds in totals:
        key = [source, endpoint, stage, status]
        for name, value in (("jobs", jobs), ("requests", requests), ("bytes", bytes_landed),
                            ("rows", rows_written), ("seconds", seconds)):
            families[name].add_metric(key, float(value or 0))
    yield from families.values()
    yield _duration_histogram(_rows(conn, "metrics_job_durations", {"bounds": DURATION_BOUNDS}), totals)
    retries = CounterMetricFamily("pipeline_job_retries", "Job attempts beyond the first, by task.",
                                  labels=["task"])
    for task, count in _rows(conn, "metrics_job_retries"):
        retries.add_metric([task], float(count or 0))
    yield retries


def _duration_histogram(buckets, totals) -> HistogramMetricFamily:
    family = HistogramMetricFamily("pipeline_job_duration_seconds", "How long jobs took, by stage.",
                                   labels=["stage"])
    count_sum: dict[str, list[float]] = {}
    for _, _, stage, _, jobs, _, _, _, seconds in totals:
        entry = count_sum.setdefault(stage, [0.0, 0.0])
        entry[0] += jobs
        entry[1] += seconds or 0.0
    per_bucket: dict[str, list[float]] = {}
    for stage, bucket, jobs in buckets:
        per_bucket.setdefault(stage, [0.0] * (len(DURATION_BOUNDS) + 1))[bucket] += jobs
    for stage, counts in per_bucket.items():
        cumulative, rows = 0.0, []
        for bound, jobs in zip(DURATION_BOUNDS, counts):
            cumulative += jobs
            rows.append((str(bound), cumulative))
        count, total = count_sum.get(stage, (0.0, 0.0))
        family.add_metric([stage], rows + [("+Inf", count)], sum_value=total)
    return family


class DatabaseCollector(Collector):
    """Reads every metric from the database on each scrape; a database that does not
    answer shows as `pipeline_database_up 0` rather than a failed scrape."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn

    def collect(self) -> Iterator[Metric]:
        families: list[Metric] = []
        up = 1.0
        try:
            with psycopg.connect(self.dsn, connect_timeout=5, autocommit=True) as conn:
                families = [*state_metrics(conn), *work_metrics(conn)]
        except psycopg.Error as exc:
            log.warning("metrics scrape could not read the database", extra={"error": str(exc).strip()[:200]})
            up, families = 0.0, []
        yield GaugeMetricFamily("pipeline_database_up", "1 when the database answered this scrape.", value=up)
        yield from families


def registry_for(dsn: str) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseCollector(dsn))
    return registry
