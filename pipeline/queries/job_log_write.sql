-- purpose:   record one job execution: stage, outcome, duration and what it moved
-- grain:     one row per job execution
-- keys:      job_log_id
-- partition: none
-- sources:   none
insert into ops.job_log (
    run_id, job_id, stage, source, endpoint, partition_key, started_at, status,
    requests, bytes_landed, land_seconds, versions_added, rows_written, error
)
values (
    %(run_id)s, %(job_id)s, %(stage)s, %(source)s, %(endpoint)s, %(partition_key)s,
    %(started_at)s, %(status)s, %(requests)s, %(bytes_landed)s, %(land_seconds)s, %(versions_added)s,
    %(rows_written)s, %(error)s
)
