-- purpose:   keep one open dead letter per request of a partition whose latest raw
--            version is quarantined (a player without an id, an emptied schedule ...),
--            counting one more attempt each time the bad answer was seen again, and
--            resolve those letters once a good version is the latest; returns how many
--            requests of the partition are still quarantined
-- grain:     one row per call
-- keys:      none
-- partition: partition_date
-- sources:   raw.{{ table }}, ops.raw_quarantine, ops.dead_letters
-- params:    table = mlb_boxscore
with latest as (
    select distinct on (request_key)
        raw_id,
        request_key,
        request_params,
        last_seen_at
    from raw.{{ table | ident }}
    where partition_date = %(partition_date)s
    order by request_key asc, last_seen_at desc, raw_id desc
),

quarantined as (
    select
        latest.request_key,
        latest.request_params,
        latest.last_seen_at,
        refused.reason
    from latest
    inner join ops.raw_quarantine as refused
        on refused.table_name = %(table_name)s and latest.raw_id = refused.raw_id
),

recorded as (
    insert into ops.dead_letters as letter (
        run_id, source, endpoint, partition_key, request_key, request_params,
        error_class, error_message, last_seen_at
    )
    select
        %(run_id)s,
        %(source)s,
        %(endpoint)s,
        %(partition_date)s,
        quarantined.request_key,
        quarantined.request_params,
        'Quarantined',
        'quarantined: ' || quarantined.reason,
        quarantined.last_seen_at
    from quarantined
    on conflict (source, request_key) where resolved_at is null do update set
        attempts = letter.attempts
        + case when excluded.last_seen_at > letter.last_seen_at then 1 else 0 end,
        last_seen_at = greatest(letter.last_seen_at, excluded.last_seen_at),
        error_message = excluded.error_message
    where letter.error_class = 'Quarantined'
    returning letter.dead_letter_id
),

resolved as (
    update ops.dead_letters as letter
    set
        resolved_at = now(),
        resolution = 'landed'
    where
        letter.source = %(source)s
        and letter.endpoint = %(endpoint)s
        and letter.partition_key = %(partition_date)s
        and letter.error_class = 'Quarantined'
        and letter.resolved_at is null
        and letter.request_key not in (select quarantined.request_key from quarantined)
    returning letter.dead_letter_id
)

select
    (select count(*) from quarantined) as requests_quarantined,
    (select count(*) from recorded) as letters_recorded,
    (select count(*) from resolved) as letters_resolved
