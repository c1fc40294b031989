-- purpose:   move buffered responses into raw.{{ table }}: a new content hash is a new
--            version; an identical re-fetch only marks its version as seen again
-- grain:     one row per distinct response version
-- keys:      request_key, partition_date, content_hash
-- partition: partition_date
-- sources:   pg_temp.landing_buffer, raw.{{ table }}
-- params:    table = mlb_boxscore
with incoming as (
    select distinct on (request_key, partition_date, content_hash) *
    from pg_temp.landing_buffer
    order by request_key asc, partition_date asc, content_hash asc, fetched_at desc
),

seen_again as (
    update raw.{{ table | ident }} as existing
    set
        last_seen_at = incoming.fetched_at,
        last_run_id = incoming.run_id
    from incoming
    where
        existing.request_key = incoming.request_key
        and existing.partition_date = incoming.partition_date
        and existing.content_hash = incoming.content_hash
    returning existing.raw_id
),

added as (
    insert into raw.{{ table | ident }} (
        request_key, request_params, partition_date, fetched_at, last_seen_at,
        first_run_id, last_run_id, http_status, etag, last_modified, content_hash, payload
    )
    select
        incoming.request_key,
        incoming.request_params,
        incoming.partition_date,
        incoming.fetched_at,
        incoming.fetched_at as last_seen_at,
        incoming.run_id as first_run_id,
        incoming.run_id as last_run_id,
        incoming.http_status,
        incoming.etag,
        incoming.last_modified,
        incoming.content_hash,
        incoming.payload
    from incoming
    where not exists (
        select 1
        from raw.{{ table | ident }} as existing
        where
            existing.request_key = incoming.request_key
            and existing.partition_date = incoming.partition_date
            and existing.content_hash = incoming.content_hash
    )
    on conflict (request_key, partition_date, content_hash) do nothing
    returning raw_id
)

select
    (select count(*) from added) as versions_added,
    (select count(*) from seen_again) as versions_seen
