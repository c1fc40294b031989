-- Makes the quality gate per game: ops.quality_blocked_games lists the games a failed error
-- check names (its quarantined rows' game_pk / game_pks); ops.quality_blocked_partitions now
-- lists only the dates a failed error check blocks without naming a game. Adds
-- curated.mlb_daily_totals, whose rows say how many games of a date were held back.
create view ops.quality_latest_failures as
select
    latest.check_result_id,
    latest.source,
    latest.partition_key,
    latest.check_name
from (
    select distinct on (source, partition_key, check_name)
        check_result_id,
        source,
        partition_key,
        check_name,
        severity,
        passed
    from ops.data_quality_checks
    order by source, partition_key, check_name, checked_at desc, check_result_id desc
) as latest
where latest.severity = 'error' and not latest.passed;

create view ops.quality_blocked_games as
select
    failed.source,
    failed.partition_key,
    named.game_pk,
    array_agg(distinct failed.check_name order by failed.check_name) as failing_checks
from ops.quality_latest_failures as failed
inner join ops.quarantined_rows as quarantined on failed.check_result_id = quarantined.check_result_id
cross join lateral (
    select (quarantined.row_key ->> 'game_pk')::bigint as game_pk
    where quarantined.row_key ? 'game_pk'
    union
    select listed.game_pk::bigint
    from jsonb_array_elements_text(
        case when jsonb_typeof(quarantined.row_key -> 'game_pks') = 'array'
            then quarantined.row_key -> 'game_pks' else '[]' end
    ) as listed (game_pk)
) as named
where named.game_pk is not null
group by failed.source, failed.partition_key, named.game_pk;

-- A failed error check that names no game blocks its whole date, as before.
create or replace view ops.quality_blocked_partitions as
select
    failed.source,
    failed.partition_key,
    array_agg(failed.check_name order by failed.check_name) as failing_checks
from ops.quality_latest_failures as failed
where not exists (
    select 1
    from ops.quality_blocked_games as blocked
    where
        blocked.source = failed.source
        and blocked.partition_key = failed.partition_key
        and failed.check_name = any(blocked.failing_checks)
)
group by failed.source, failed.partition_key;

create index quarantined_rows_check_idx on ops.quarantined_rows (check_result_id);

create table curated.mlb_daily_totals (
    official_date date not null primary key,
    season integer not null,
    games_final integer not null,
    games_promoted integer not null,
    games_held_back integer not null,
    held_back_game_pks bigint [] not null default '{}',
    runs integer not null,
    hits integer not null,
    home_runs integer not null,
    updated_at timestamptz not null default now()
);
