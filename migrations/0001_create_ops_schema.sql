-- Creates the zones (raw, staging, curated, ops) and the operational tables: runs, the
-- partitions each run planned, checkpoints, dead letters and per-job timings.
create schema if not exists raw;
create schema if not exists staging;
create schema if not exists curated;
create schema if not exists ops;

create table ops.pipeline_runs (
    run_id bigint generated always as identity primary key,
    source text not null,
    mode text not null check (mode in ('backfill', 'incremental', 'lookback', 'rebuild')),
    params jsonb not null default '{}',
    status text not null default 'running'
        check (status in ('running', 'succeeded', 'failed')),
    started_at timestamptz not null default now(),
    finished_at timestamptz,
    partitions_planned integer not null default 0,
    partitions_skipped integer not null default 0,
    message text
);

create index pipeline_runs_running_idx on ops.pipeline_runs (run_id) where status = 'running';

-- What a run set out to do: its partitions, including those skipped as already done.
create table ops.run_partitions (
    run_id bigint not null references ops.pipeline_runs (run_id),
    source text not null,
    endpoint text not null,
    partition_key date not null,
    is_skipped boolean not null default false,
    primary key (run_id, source, endpoint, partition_key)
);

-- Where each partition of each source stands, across runs: the resumability ledger.
create table ops.pipeline_checkpoints (
    source text not null,
    endpoint text not null,
    partition_key date not null,
    status text not null default 'pending'
        check (status in ('pending', 'extracted', 'done', 'partial', 'failed')),
    watermark timestamptz,
    attempts integer not null default 0,
    last_run_id bigint references ops.pipeline_runs (run_id),
    last_success_at timestamptz,
    items_total integer not null default 0,
    items_failed integer not null default 0,
    last_error text,
    updated_at timestamptz not null default now(),
    primary key (source, endpoint, partition_key)
);

create index pipeline_checkpoints_open_idx on ops.pipeline_checkpoints (status)
    where status <> 'done';

-- Items that failed for good (a bad body, a 4xx): kept with their request for a replay.
create table ops.dead_letters (
    dead_letter_id bigint generated always as identity primary key,
    run_id bigint references ops.pipeline_runs (run_id),
    source text not null,
    endpoint text not null,
    partition_key date,
    request_key text not null,
    request_params jsonb not null default '{}',
    error_class text not null,
    error_message text not null,
    attempts integer not null default 1,
    first_seen_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    resolved_at timestamptz
);

create unique index dead_letters_open_key on ops.dead_letters (source, request_key)
    where resolved_at is null;

-- One row per job execution: how long each stage took, what it did.
create table ops.job_log (
    job_log_id bigint generated always as identity primary key,
    run_id bigint references ops.pipeline_runs (run_id),
    job_id bigint,
    stage text not null,
    source text not null,
    endpoint text,
    partition_key date,
    started_at timestamptz not null,
    finished_at timestamptz not null default now(),
    status text not null check (status in ('succeeded', 'failed', 'skipped')),
    requests integer not null default 0,
    bytes_landed bigint not null default 0,
    land_seconds numeric(10, 3) not null default 0,
    versions_added integer not null default 0,
    rows_written integer not null default 0,
    error text
);

create index job_log_run_idx on ops.job_log (run_id, stage);
