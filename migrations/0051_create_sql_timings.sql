-- Creates ops.sql_timings: how long each SQL file took in each job (staging, quality,
-- curated and a source's own queries), for `pipeline status --slow`.
create table ops.sql_timings (
    sql_timing_id bigint generated always as identity primary key,
    run_id bigint references ops.pipeline_runs (run_id),
    job_id bigint,
    stage text not null,
    sql_name text not null,
    executions integer not null,
    seconds double precision not null,
    max_seconds double precision not null,
    recorded_at timestamptz not null default now()
);

create index sql_timings_name_idx on ops.sql_timings (sql_name, recorded_at);
