-- Range-partitions the large staging tables (player batting and pitching lines) by
-- official_date, one partition per year plus a default, keeping every column and FK.
-- The primary keys gain official_date (a partitioned table's keys must hold its key).

-- Yearly partitions of a partitioned table for [from_date, to_date], created ahead of
-- need; rows of the year a default partition caught are moved in. Idempotent, locked.
create function ops.ensure_yearly_partitions(
    schema_name text, table_name text, from_date date, to_date date
) returns integer
language plpgsql as $function$
declare
    key_column text;
    year_start date := date_trunc('year', from_date)::date;
    year_end date;
    created integer := 0;
    partition_name text;
begin
    perform pg_advisory_xact_lock(hashtext(schema_name || '.' || table_name));
    select attribute.attname into key_column
    from pg_partitioned_table as partitioned
    inner join pg_attribute as attribute
        on attribute.attrelid = partitioned.partrelid and attribute.attnum = partitioned.partattrs[0]
    where partitioned.partrelid = format('%I.%I', schema_name, table_name)::regclass;
    while year_start <= to_date loop
        year_end := (year_start + interval '1 year')::date;
        partition_name := format('%s_y%s', table_name, to_char(year_start, 'YYYY'));
        if to_regclass(format('%I.%I', schema_name, partition_name)) is null then
            execute format(
                'create temp table drained_rows on commit drop as
                 with taken as (
                     delete from %I.%I where %I >= %L and %I < %L returning *
                 ) select * from taken',
                schema_name, table_name || '_default', key_column, year_start, key_column, year_end
            );
            execute format(
                'create table %I.%I partition of %I.%I for values from (%L) to (%L)',
                schema_name, partition_name, schema_name, table_name, year_start, year_end
            );
            execute format('insert into %I.%I select * from drained_rows', schema_name, table_name);
            drop table drained_rows;
            created := created + 1;
        end if;
        year_start := year_end;
    end loop;
    return created;
end;
$function$;

-- Every partitioned staging table gets its yearly partitions for a date range.
create function ops.ensure_staging_partitions(from_date date, to_date date) returns integer
language plpgsql as $function$
declare
    target record;
    created integer := 0;
begin
    for target in
        select class.relname
        from pg_partitioned_table as partitioned
        inner join pg_class as class on partitioned.partrelid = class.oid
        inner join pg_namespace as schema_ on class.relnamespace = schema_.oid
        where schema_.nspname = 'staging'
        order by class.relname
    loop
        created := created + ops.ensure_yearly_partitions('staging', target.relname, from_date, to_date);
    end loop;
    return created;
end;
$function$;

-- Moves what the staging default partitions caught into yearly partitions made for it.
create function ops.drain_staging_defaults() returns bigint
language plpgsql as $function$
declare
    target record;
    caught bigint;
    moved bigint := 0;
    bounds record;
begin
    for target in
        select class.relname, attribute.attname as key_column
        from pg_partitioned_table as partitioned
        inner join pg_class as class on partitioned.partrelid = class.oid
        inner join pg_namespace as schema_ on class.relnamespace = schema_.oid
        inner join pg_attribute as attribute
            on attribute.attrelid = partitioned.partrelid and attribute.attnum = partitioned.partattrs[0]
        where schema_.nspname = 'staging'
    loop
        execute format('select count(*), min(%I), max(%I) from staging.%I',
            target.key_column, target.key_column, target.relname || '_default') into bounds;
        if bounds.count > 0 then
            perform ops.ensure_yearly_partitions('staging', target.relname, bounds.min, bounds.max);
            moved := moved + bounds.count;
        end if;
    end loop;
    return moved;
end;
$function$;

-- Swap each table for a partitioned one with the same columns, move the rows across.
do $block$
declare
    table_name text;
    first_date date;
    last_date date;
begin
    foreach table_name in array array['mlb_player_batting', 'mlb_player_pitching'] loop
        execute format('alter table staging.%I rename to %I', table_name, table_name || '_unpartitioned');
        execute format('alter table staging.%I rename constraint %I to %I',
            table_name || '_unpartitioned', table_name || '_pkey', table_name || '_unpartitioned_pkey');
        execute format('alter index staging.%I rename to %I', table_name || '_date_idx', table_name || '_old_date_idx');
        execute format('alter index staging.%I rename to %I', table_name || '_player_idx', table_name || '_old_player_idx');
        execute format(
            'create table staging.%I (like staging.%I including defaults) partition by range (official_date)',
            table_name, table_name || '_unpartitioned'
        );
        execute format(
            'alter table staging.%I add constraint %I primary key (game_pk, player_id, official_date)',
            table_name, table_name || '_pkey'
        );
        execute format(
            'alter table staging.%I add foreign key (game_pk) references staging.mlb_games (game_pk)', table_name
        );
        execute format(
            'alter table staging.%I add foreign key (player_id) references staging.mlb_players (player_id)', table_name
        );
        -- the date slice is the partition (pruned); within a year, by date and by player-season
        execute format('create index %I on staging.%I (official_date)', table_name || '_date_idx', table_name);
        execute format('create index %I on staging.%I (player_id, season)', table_name || '_player_idx', table_name);
        execute format('create table staging.%I partition of staging.%I default', table_name || '_default', table_name);
        execute format('select min(official_date), max(official_date) from staging.%I', table_name || '_unpartitioned')
            into first_date, last_date;
        perform ops.ensure_yearly_partitions('staging', table_name,
            least(first_date, current_date), greatest(last_date, current_date + 365));
        execute format('insert into staging.%I select * from staging.%I', table_name, table_name || '_unpartitioned');
        execute format('drop table staging.%I', table_name || '_unpartitioned');
    end loop;
end;
$block$;
