-- Creates the data-quality ledger: check results per run and partition, the staging rows
-- an error check quarantined, the raw schema versions seen and the raw payloads refused.
create table ops.data_quality_checks (
    check_result_id bigint generated always as identity primary key,
    run_id bigint references ops.pipeline_runs (run_id),
    source text not null,
    check_name text not null,
    severity text not null check (severity in ('error', 'warn')),
    partition_key date not null,
    rows_checked bigint not null,
    rows_failing bigint not null,
    metric_value numeric,
    threshold numeric not null,
    passed boolean not null,
    failing_keys jsonb not null default '[]',
    details jsonb not null default '{}',
    checked_at timestamptz not null default now()
);

create index data_quality_checks_run_idx on ops.data_quality_checks (run_id, check_name);
create index data_quality_checks_latest_idx
    on ops.data_quality_checks (source, partition_key, check_name, checked_at desc);

-- A partition is blocked from curated while the latest result of any of its error checks
-- failed; re-running the checks after a fix (a re-fetch, a corrected row) unblocks it.
create view ops.quality_blocked_partitions as
select
    latest.source,
    latest.partition_key,
    array_agg(latest.check_name order by latest.check_name) as failing_checks
from (
    select distinct on (source, partition_key, check_name)
        source,
        partition_key,
        check_name,
        severity,
        passed
    from ops.data_quality_checks
    order by source, partition_key, check_name, checked_at desc, check_result_id desc
) as latest
where latest.severity = 'error' and not latest.passed
group by latest.source, latest.partition_key;

-- The offending rows of a failed error check: kept in staging, flagged and listed here.
create table ops.quarantined_rows (
    quarantine_id bigint generated always as identity primary key,
    check_result_id bigint not null references ops.data_quality_checks (check_result_id),
    run_id bigint references ops.pipeline_runs (run_id),
    source text not null,
    check_name text not null,
    partition_key date not null,
    row_key jsonb not null,
    quarantined_at timestamptz not null default now()
);

create index quarantined_rows_partition_idx on ops.quarantined_rows (source, partition_key);

-- How a run's checks ended: null until its aggregate step, then passed / warned / failed.
alter table ops.pipeline_runs add column quality_status text
    check (quality_status in ('passed', 'warned', 'failed'));

-- Every distinct shape of a raw payload (the set of watched key paths it has), numbered
-- in the order first seen, with the first payload that had it as a sample.
create table ops.raw_schema_versions (
    schema_version integer generated always as identity primary key,
    table_name text not null,
    fingerprint text not null,
    key_paths text [] not null,
    first_seen_at timestamptz not null default now(),
    first_raw_id bigint not null,
    sample jsonb not null,
    unique (table_name, fingerprint)
);

-- Raw versions the staging SQL must not read: a payload missing required fields, or
-- one that lists a player twice. The previous good version of the request stays in use.
create table ops.raw_quarantine (
    table_name text not null,
    raw_id bigint not null,
    partition_date date not null,
    request_key text not null,
    schema_version integer,
    reason text not null,
    quarantined_at timestamptz not null default now(),
    primary key (table_name, raw_id)
);

create index raw_quarantine_date_idx on ops.raw_quarantine (partition_date);

-- Each raw version carries the schema version it was fingerprinted as (null: not yet).
alter table raw.mlb_schedule add column schema_version integer;
alter table raw.mlb_boxscore add column schema_version integer;
alter table raw.mlb_teams add column schema_version integer;
