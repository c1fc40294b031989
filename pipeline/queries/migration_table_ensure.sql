-- purpose:   create the ledger of applied migrations (run before any migration)
-- grain:     one row per applied migration file
-- keys:      name
-- partition: none
-- sources:   none
create schema if not exists ops;

create table if not exists ops.schema_migrations (
    name text primary key,
    checksum text not null,
    applied_at timestamptz not null default now()
);
