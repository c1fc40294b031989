-- Adds to ops.schedules what a failing schedule leaves on its own row: its last error, when
-- it failed and how many times in a row (the tick backs off from it; the others fire as usual).
alter table ops.schedules
    add column last_error text,
    add column last_failed_at timestamptz,
    add column consecutive_failures integer not null default 0;
