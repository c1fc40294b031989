-- Partition maintenance for the raw tables: drain rows caught by a default partition into
-- monthly partitions created for them (also when a partition is made ahead of need); new
-- raw tables carry a schema_version column; exact row counts for the partition listing.
-- Same as 0002's, except that rows of the month the default partition caught are moved into
-- the new partition (0002's version failed when the default held any). Still idempotent
-- and safe when two runs ask at once (advisory lock per table).
create or replace function ops.ensure_monthly_partitions(
    table_name text, from_date date, to_date date
) returns integer
language plpgsql as $function$
declare
    month_start date := date_trunc('month', from_date)::date;
    month_end date;
    created integer := 0;
    partition_name text;
begin
    perform pg_advisory_xact_lock(hashtext('raw.' || table_name));
    while month_start <= to_date loop
        month_end := (month_start + interval '1 month')::date;
        partition_name := format('%s_y%sm%s', table_name,
            to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
        if to_regclass(format('raw.%I', partition_name)) is null then
            -- a partition cannot be created while the default holds rows of its range:
            -- take them out, create it, put them back through the parent (one transaction)
            execute format(
                'create temp table drained_rows on commit drop as
                 with taken as (
                     delete from raw.%I where partition_date >= %L and partition_date < %L returning *
                 ) select * from taken',
                table_name || '_default', month_start, month_end
            );
            execute format(
                'create table raw.%I partition of raw.%I for values from (%L) to (%L)',
                partition_name, table_name, month_start, month_end
            );
            execute format('insert into raw.%I select * from drained_rows', table_name);
            drop table drained_rows;
            created := created + 1;
        end if;
        month_start := month_end;
    end loop;
    return created;
end;
$function$;

-- Moves every row the default partition caught into a monthly partition made for it.
create function ops.drain_default_partition(table_name text) returns bigint
language plpgsql as $function$
declare
    month_start date;
    caught bigint;
begin
    perform pg_advisory_xact_lock(hashtext('raw.' || table_name));
    execute format('select count(*) from raw.%I', table_name || '_default') into caught;
    for month_start in execute format(
        'select distinct date_trunc(''month'', partition_date)::date from raw.%I order by 1',
        table_name || '_default'
    ) loop
        perform ops.ensure_monthly_partitions(table_name, month_start, month_start);
    end loop;
    return caught;
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
