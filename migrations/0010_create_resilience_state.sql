-- Creates the state all workers share to be polite and resilient: a token bucket and a
-- circuit breaker per source, the resolution of dead letters, and the 'replay' run mode.
create table ops.rate_limits (
    source text primary key,
    rate_per_second double precision not null check (rate_per_second > 0),
    burst double precision not null check (burst >= 1),
    -- may go below zero: each caller reserves its token and sleeps until it is due
    tokens double precision not null,
    refilled_at timestamptz not null default clock_timestamp()
);

create table ops.circuit_breakers (
    source text primary key,
    state text not null default 'closed' check (state in ('closed', 'open', 'half_open')),
    consecutive_failures integer not null default 0,
    failure_threshold integer not null default 5,
    cooldown_seconds double precision not null default 10,
    opened_at timestamptz,
    probe_started_at timestamptz,
    times_opened integer not null default 0,
    last_error text,
    updated_at timestamptz not null default now()
);

alter table ops.dead_letters
    add column resolution text check (resolution in ('landed', 'discarded'));

alter table ops.pipeline_runs drop constraint pipeline_runs_mode_check;
alter table ops.pipeline_runs add constraint pipeline_runs_mode_check
    check (mode in ('backfill', 'incremental', 'lookback', 'rebuild', 'replay'));
