-- Creates ops.schedules: periodic runs kept as rows (cron, mode, parameters, enabled) that
-- the procrastinate tick reads; changing a schedule is an UPDATE. Both defaults start disabled.
create table ops.schedules (
    schedule_name text primary key,
    source text not null default 'mlb',
    cron text not null,
    mode text not null check (mode in ('incremental', 'lookback')),
    params jsonb not null default '{}',
    is_enabled boolean not null default false,
    last_fired_at timestamptz,
    next_fire_at timestamptz,
    last_run_id bigint,
    updated_at timestamptz not null default now()
);

insert into ops.schedules (schedule_name, source, cron, mode, params) values
    ('mlb-incremental', 'mlb', '*/15 * * 3-10 *', 'incremental', '{"overlap_days": 1}'),
    ('mlb-lookback', 'mlb', '0 10 * * *', 'lookback', '{"days": 7}');
