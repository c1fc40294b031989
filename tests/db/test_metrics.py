"""The metrics `pipeline serve` exposes are read from the database at scrape time, under
Prometheus names, through a read-only session."""

from __future__ import annotations

from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from pipeline.observe import metrics, server


def scrape(dsn: str) -> dict[tuple[str, tuple], float]:
    text = generate_latest(metrics.registry_for(server.read_only(dsn))).decode()
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def test_metrics_read_the_fleet_state_from_the_database(conn):
    conn.execute("insert into procrastinate_workers (last_heartbeat) values (now()), (now() - interval '1 hour')")
    conn.execute("insert into ops.circuit_breakers (source, state, opened_at) values ('mlb', 'open', now())")
    conn.execute("insert into ops.dead_letters (source, endpoint, request_key, error_class, error_message) "
                 "values ('mlb', 'boxscore', '/x', 'NotJson', 'bad')")
    run_id = conn.execute("insert into ops.pipeline_runs (source, mode) values ('mlb', 'backfill') "
                          "returning run_id").fetchone()[0]
    conn.execute("insert into ops.job_log (run_id, stage, source, endpoint, started_at, status, requests, "
                 "bytes_landed) values (%s, 'extract', 'mlb', 'games', now() - interval '2 seconds', 'succeeded', "
                 "12, 3000)", [run_id])
    for seconds in (0.05, 0.3, 400):  # on a bound, between two, past the last
        conn.execute("insert into ops.job_log (run_id, stage, source, started_at, finished_at, status) "
                     "values (%s, 'aggregate', 'mlb', now() - make_interval(secs => %s), now(), 'succeeded')",
                     [run_id, seconds])
    samples = scrape(conn.info.dsn)
    assert samples[("pipeline_database_up", ())] == 1
    assert samples[("pipeline_workers_live", ())] == 1
    assert samples[("pipeline_breaker_state", (("source", "mlb"), ("state", "open")))] == 1
    assert samples[("pipeline_dead_letters_open", (("endpoint", "boxscore"), ("source", "mlb")))] == 1
    assert samples[("pipeline_runs", (("mode", "backfill"), ("source", "mlb"), ("status", "running")))] == 1
    labels = (("endpoint", "games"), ("source", "mlb"), ("stage", "extract"), ("status", "succeeded"))
    assert samples[("pipeline_requests_total", labels)] == 12
    assert samples[("pipeline_bytes_landed_total", labels)] == 3000
    assert samples[("pipeline_job_duration_seconds_bucket", (("le", "1.0"), ("stage", "extract")))] == 0
    assert samples[("pipeline_job_duration_seconds_bucket", (("le", "2.5"), ("stage", "extract")))] == 1
    assert samples[("pipeline_job_duration_seconds_count", (("stage", "extract"),))] == 1
    aggregate = {labels[0][1]: value for (name, labels), value in samples.items()
                 if name == "pipeline_job_duration_seconds_bucket" and labels[1] == ("stage", "aggregate")}
    assert (aggregate["0.05"], aggregate["0.25"], aggregate["0.5"], aggregate["300.0"], aggregate["+Inf"]) == (
        1, 1, 2, 2, 3)


def test_an_unreachable_database_is_a_metric_not_a_failed_scrape():
    samples = scrape("postgresql://nobody@127.0.0.1:1/nothing")
    assert samples == {("pipeline_database_up", ()): 0}
