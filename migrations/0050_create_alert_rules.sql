-- Creates the alert rules (what to watch, with its threshold and cool-down), the incidents
-- they open and close, and the notifications each incident owes each channel.
create table ops.alert_rules (
    rule_id bigint generated always as identity primary key,
    name text not null unique,
    kind text not null check (kind in (
        'run_failed', 'run_partial', 'quality_error', 'breaker_open', 'dead_letters', 'data_stale',
        'queue_stuck'
    )),
    -- minutes (breaker_open, queue_stuck), a count (dead_letters) or hours (data_stale)
    threshold double precision not null default 0 check (threshold >= 0),
    cooldown_minutes double precision not null default 60 check (cooldown_minutes >= 0),
    is_enabled boolean not null default true,
    created_at timestamptz not null default now()
);

-- One incident per rule and subject (a source) from the first evaluation that found the
-- condition true to the first that found it false.
create table ops.alert_incidents (
    incident_id bigint generated always as identity primary key,
    rule_id bigint not null references ops.alert_rules (rule_id) on delete cascade,
    subject text not null,
    summary text not null,
    opened_at timestamptz not null default now(),
    last_alerted_at timestamptz not null default now(),
    resolved_at timestamptz
);

create unique index alert_incidents_open_key on ops.alert_incidents (rule_id, subject)
    where resolved_at is null;

-- What each incident owes each channel: a firing, a reminder after the cool-down, a
-- resolution. Pending until delivered; delivery failures are counted and retried.
create table ops.alert_notifications (
    notification_id bigint generated always as identity primary key,
    incident_id bigint not null references ops.alert_incidents (incident_id) on delete cascade,
    channel text not null,
    event text not null check (event in ('firing', 'reminder', 'resolved')),
    created_at timestamptz not null default now(),
    attempts integer not null default 0,
    last_error text,
    delivered_at timestamptz
);

create index alert_notifications_pending_idx on ops.alert_notifications (notification_id)
    where delivered_at is null;

insert into ops.alert_rules (name, kind, threshold, cooldown_minutes) values
    ('run-failed', 'run_failed', 0, 60),
    ('run-partial', 'run_partial', 0, 60),
    ('quality-error', 'quality_error', 0, 240),
    ('breaker-open', 'breaker_open', 5, 60),
    ('dead-letters', 'dead_letters', 50, 240),
    ('data-stale', 'data_stale', 48, 720),
    ('queue-stuck', 'queue_stuck', 30, 60);
