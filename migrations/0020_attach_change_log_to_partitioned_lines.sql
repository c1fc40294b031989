-- Re-attaches the change-log trigger to the player-line tables that 0019 rebuilt as
-- partitioned tables (their old triggers went with the old tables), and makes the trigger
-- name the partitioned table, not the partition a row sits in.
create or replace function ops.log_staging_change() returns trigger
language plpgsql as $function$
declare
    old_row jsonb := to_jsonb(old) - 'updated_at' - 'raw_id';
    new_row jsonb := to_jsonb(new) - 'updated_at' - 'raw_id';
    key_row jsonb := '{}';
    key_column text;
begin
    if old_row = new_row then
        return null;
    end if;
    foreach key_column in array tg_argv[1:] loop
        key_row := key_row || jsonb_build_object(key_column, new_row -> key_column);
    end loop;
    insert into ops.change_log (
        run_id, table_name, row_key, partition_date, column_name, old_value, new_value,
        raw_id_before, raw_id_after
    )
    select
        nullif(current_setting('pipeline.run_id', true), '')::bigint,
        (
            select format('%I.%I', namespace.nspname, class.relname)
            from pg_class as class
            inner join pg_namespace as namespace on class.relnamespace = namespace.oid
            where class.oid = coalesce(pg_partition_root(tg_relid), tg_relid)
        ),
        key_row,
        case when tg_argv[0] <> '' then (new_row ->> tg_argv[0])::date end,
        changed.key,
        old_row -> changed.key,
        changed.value,
        old.raw_id,
        new.raw_id
    from jsonb_each(new_row) as changed
    where changed.value is distinct from old_row -> changed.key
    order by changed.key;
    return null;
end;
$function$;

create trigger mlb_player_batting_change_log after update on staging.mlb_player_batting
for each row execute function ops.log_staging_change('official_date', 'game_pk', 'player_id');

create trigger mlb_player_pitching_change_log after update on staging.mlb_player_pitching
for each row execute function ops.log_staging_change('official_date', 'game_pk', 'player_id');
