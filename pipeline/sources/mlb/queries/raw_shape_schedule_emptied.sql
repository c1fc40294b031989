-- purpose:   quarantine a schedule answer that is suspiciously empty: the latest version
--            of a request lists no game while an earlier good version of the same request
--            listed some (an API answering 200 with "dates": []); staging then keeps
--            reading the earlier version and the partition ends partial
-- grain:     one row per call (counts)
-- keys:      raw.mlb_schedule: raw_id
-- partition: partition_date
-- sources:   raw.mlb_schedule, ops.raw_quarantine
with versions as (
    select
        raw_id,
        request_key,
        partition_date,
        last_seen_at,
        schema_version,
        (
            select count(*)
            from jsonb_path_query(schedule.payload, '$.dates[*].games[*]')
        ) as games
    from raw.mlb_schedule as schedule
    where partition_date = %(partition_date)s
),

good_versions as (
    select
        request_key,
        max(games) as games
    from versions
    where not exists (
        select 1 from ops.raw_quarantine as refused
        where refused.table_name = 'mlb_schedule' and refused.raw_id = versions.raw_id
    )
    group by request_key
),

latest as (
    select distinct on (request_key)
        raw_id,
        request_key,
        partition_date,
        schema_version,
        games
    from versions
    order by request_key asc, last_seen_at desc, raw_id desc
),

quarantined as (
    insert into ops.raw_quarantine (
        table_name, raw_id, partition_date, request_key, schema_version, reason
    )
    select
        'mlb_schedule',
        latest.raw_id,
        latest.partition_date,
        latest.request_key,
        latest.schema_version,
        format('no games where an earlier version of the request listed %%s', good_versions.games)
    from latest
    inner join good_versions on latest.request_key = good_versions.request_key
    where latest.games = 0 and good_versions.games > 0
    on conflict (table_name, raw_id) do nothing
    returning raw_id
)

select count(*) as versions_quarantined
from quarantined
