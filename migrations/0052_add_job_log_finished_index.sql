-- Indexes ops.job_log by finish time: the dashboard's request rate reads the last hour.
create index job_log_finished_idx on ops.job_log (finished_at);
