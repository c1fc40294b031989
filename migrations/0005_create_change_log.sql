-- Creates ops.change_log, the audit trail of every staging value a run changed, filled by
-- an after-update trigger on the staging tables that hold facts (games, lines, teams).
create table ops.change_log (
    change_id bigint generated always as identity primary key,
    changed_at timestamptz not null default now(),
    run_id bigint,
    table_name text not null,
    row_key jsonb not null,
    partition_date date,
    column_name text not null,
    old_value jsonb,
    new_value jsonb,
    raw_id_before bigint,
    raw_id_after bigint
);

create index change_log_changed_at_idx on ops.change_log (changed_at);
create index change_log_run_idx on ops.change_log (run_id, partition_date);

-- A trigger, not a step before each upsert: it sees exactly the rows the guarded upserts
-- rewrite, whatever statement (MERGE, insert .. on conflict) wrote them, on PG 15 too.
-- Arguments: the partition column ('' for none), then the key columns.
-- The run comes from the session setting pipeline.run_id that every job step sets.
create function ops.log_staging_change() returns trigger
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
        tg_table_schema || '.' || tg_table_name,
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

-- staging.mlb_players is left out on purpose: its last_game_* columns move with every
-- game a player plays, which is bookkeeping, not a corrected value.
create trigger mlb_games_change_log after update on staging.mlb_games
for each row execute function ops.log_staging_change('official_date', 'game_pk');

create trigger mlb_teams_change_log after update on staging.mlb_teams
for each row execute function ops.log_staging_change('', 'team_id');

create trigger mlb_player_batting_change_log after update on staging.mlb_player_batting
for each row execute function ops.log_staging_change('official_date', 'game_pk', 'player_id');

create trigger mlb_player_pitching_change_log after update on staging.mlb_player_pitching
for each row execute function ops.log_staging_change('official_date', 'game_pk', 'player_id');
