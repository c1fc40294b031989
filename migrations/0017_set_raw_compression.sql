-- Stores raw payloads with lz4 TOAST compression where the server was built with lz4,
-- else keeps pglz (the embedded PostgreSQL has no lz4): decided here, at migrate time.
do $block$
declare
    has_lz4 boolean;
    target record;
begin
    select 'lz4' = any(enumvals) into has_lz4
    from pg_settings
    where name = 'default_toast_compression';
    if not coalesce(has_lz4, false) then
        raise notice 'lz4 not available: raw payloads keep pglz compression';
        return;
    end if;
    -- the parents (partitions created later inherit it) and every existing partition
    for target in
        select format('%I.%I', schema_.nspname, class.relname) as qualified_name
        from pg_class as class
        inner join pg_namespace as schema_ on class.relnamespace = schema_.oid
        where schema_.nspname = 'raw' and class.relkind in ('r', 'p')
    loop
        execute format('alter table %s alter column payload set compression lz4', target.qualified_name);
    end loop;
end;
$block$;

-- Raw tables created later (a new source) get lz4 too, when the server has it.
create or replace function ops.create_raw_table_compressed(table_name text) returns void
language plpgsql as $function$
begin
    perform ops.create_raw_table(table_name);
    if exists (
        select 1 from pg_settings
        where name = 'default_toast_compression' and 'lz4' = any(enumvals)
    ) then
        execute format('alter table raw.%I alter column payload set compression lz4', table_name);
        execute format('alter table raw.%I alter column payload set compression lz4', table_name || '_default');
    end if;
end;
$function$;
