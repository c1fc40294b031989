-- Creates the group roles pipeline_analyst (read staging, curated and the ops records of runs, quality and lineage; no raw payloads, no writes) and pipeline_writer (what workers need; partition DDL only through the maintenance functions, which run as their owner). `pipeline db grant analyst|writer LOGIN` gives one to a login.
do $roles$
begin
    -- roles belong to the cluster, not the database: another database may have made them
    if not exists (select 1 from pg_roles where rolname = 'pipeline_analyst') then
        create role pipeline_analyst nologin;
    end if;
    if not exists (select 1 from pg_roles where rolname = 'pipeline_writer') then
        create role pipeline_writer nologin;
    end if;
end;
$roles$;

-- analyst: staging and curated, now and later (a new table of a later migration too)
grant usage on schema staging, curated, ops to pipeline_analyst;
grant select on all tables in schema staging, curated to pipeline_analyst;
alter default privileges in schema staging, curated grant select on tables to pipeline_analyst;
-- ... and the ops records an analyst reads: runs and their partitions, quality results,
-- quarantined rows, blocked dates, raw schema versions, the change log (which raw
-- version each changed value came from). Nothing of raw.*: no usage on the schema.
grant select on
    ops.pipeline_runs,
    ops.run_partitions,
    ops.pipeline_checkpoints,
    ops.data_quality_checks,
    ops.quality_blocked_partitions,
    ops.quarantined_rows,
    ops.raw_schema_versions,
    ops.change_log,
    ops.schema_migrations
to pipeline_analyst;

-- writer: read and write every table of the pipeline's schemas and procrastinate's (in
-- public), use their sequences; no create on any schema, no ownership.
grant usage on schema raw, staging, curated, ops, public to pipeline_writer;
grant select, insert, update, delete on all tables in schema raw, staging, curated, ops, public to pipeline_writer;
grant usage, select on all sequences in schema raw, staging, curated, ops, public to pipeline_writer;
alter default privileges in schema raw, staging, curated, ops, public
    grant select, insert, update, delete on tables to pipeline_writer;
alter default privileges in schema raw, staging, curated, ops, public
    grant usage, select on sequences to pipeline_writer;

-- Partition maintenance is the only DDL a worker does: these functions create and fill
-- partitions as their owner (the role that migrates), with a fixed search_path.
alter function ops.ensure_monthly_partitions(text, date, date) security definer set search_path = pg_catalog, pg_temp;
alter function ops.drain_default_partition(text) security definer set search_path = pg_catalog, pg_temp;
alter function ops.ensure_yearly_partitions(text, text, date, date) security definer set search_path = pg_catalog, pg_temp;
alter function ops.ensure_staging_partitions(date, date) security definer set search_path = pg_catalog, pg_temp;
alter function ops.drain_staging_defaults() security definer set search_path = pg_catalog, pg_temp;
revoke execute on function
    ops.ensure_monthly_partitions(text, date, date),
    ops.drain_default_partition(text),
    ops.ensure_yearly_partitions(text, text, date, date),
    ops.ensure_staging_partitions(date, date),
    ops.drain_staging_defaults()
from public;
grant execute on function
    ops.ensure_monthly_partitions(text, date, date),
    ops.drain_default_partition(text),
    ops.ensure_yearly_partitions(text, text, date, date),
    ops.ensure_staging_partitions(date, date),
    ops.drain_staging_defaults()
to pipeline_writer;
