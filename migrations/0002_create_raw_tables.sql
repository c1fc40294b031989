-- Creates the raw landing zone: one table per source endpoint, one row per distinct
-- response version, range-partitioned by the logical date (monthly) with a default partition.
create sequence raw.raw_id_seq;

-- A source's migration calls this for each endpoint it lands.
create function ops.create_raw_table(table_name text) returns void
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

-- Monthly partitions for [from_date, to_date], created ahead of need; idempotent and safe
-- when two runs ask at once (advisory lock per table).
create function ops.ensure_monthly_partitions(
    table_name text, from_date date, to_date date
) returns integer
language plpgsql as $function$
declare
    month_start date := date_trunc('month', from_date)::date;
    created integer := 0;
    partition_name text;
begin
    perform pg_advisory_xact_lock(hashtext('raw.' || table_name));
    while month_start <= to_date loop
        partition_name := format('%s_y%sm%s', table_name,
            to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
        if to_regclass(format('raw.%I', partition_name)) is null then
            execute format(
                'create table raw.%I partition of raw.%I for values from (%L) to (%L)',
                partition_name, table_name, month_start, (month_start + interval '1 month')::date
            );
            created := created + 1;
        end if;
        month_start := (month_start + interval '1 month')::date;
    end loop;
    return created;
end;
$function$;

select ops.create_raw_table('mlb_schedule');
select ops.create_raw_table('mlb_boxscore');
select ops.create_raw_table('mlb_teams');
