-- Partition maintenance for the raw tables: drain rows caught by a default partition into
-- monthly partitions created for them; new raw tables carry a schema_version column.
create function ops.drain_default_partition(table_name text) returns bigint
language plpgsql as $function$
declare
    default_name text := table_name || '_default';
    month_start date;
    moved bigint := 0;
    batch bigint;
begin
    perform pg_advisory_xact_lock(hashtext('raw.' || table_name));
    for month_start in execute format(
        'select distinct date_trunc(''month'', partition_date)::date from raw.%I order by 1', default_name
    ) loop
        -- a partition cannot be created while the default holds rows of its range: take
        -- them out, create it, put them back through the parent (all in one transaction)
        execute format(
            'create temp table drained_rows on commit drop as
             with taken as (
                 delete from raw.%I where partition_date >= %L and partition_date < %L returning *
             ) select * from taken',
            default_name, month_start, (month_start + interval '1 month')::date
        );
        perform ops.ensure_monthly_partitions(table_name, month_start, month_start);
        execute format('insert into raw.%I select * from drained_rows', table_name);
        get diagnostics batch = row_count;
        moved := moved + batch;
        drop table drained_rows;
    end loop;
    return moved;
end;
$function$;

-- Same as 0002's, plus the schema_version column every raw table now has.
create or replace function ops.create_raw_table(table_name text) returns void
language plpgsql as $function$
begin
    execute format($ddl$
        create table raw.%1$I (
            raw_id bigint not null default nextval('raw.raw_id_seq'),
            request_key text not null,
            request_params jsonb not null default '{}',
            partition_date date not null,
            fetched_at timestamptz not null,
            last_seen_at timestamptz not null,
            first_run_id bigint,
            last_run_id bigint,
            http_status smallint not null,
            etag text,
            last_modified text,
            content_hash text not null,
            payload jsonb not null,
            schema_version integer,
            primary key (raw_id, partition_date),
            unique (request_key, partition_date, content_hash)
        ) partition by range (partition_date)
    $ddl$, table_name);
    execute format(
        'create index %1$I on raw.%2$I (partition_date, request_key, last_seen_at desc)',
        table_name || '_latest_idx', table_name
    );
    execute format(
        'create table raw.%1$I partition of raw.%2$I default',
        table_name || '_default', table_name
    );
end;
$function$;

-- Exact row count of a table named at run time (for `pipeline partitions list`).
create function ops.count_rows(relation regclass) returns bigint
language plpgsql stable as $function$
declare
    counted bigint;
begin
    execute format('select count(*) from %s', relation) into counted;
    return counted;
end;
$function$;
