-- purpose:   cut a landed schedule window (startDate..endDate) into one schedule version
--            per date under that date's own request key, so the per-date staging reads it
--            as if fetched alone; an identical cut only marks its version seen again
-- grain:     one row per schedule date of the window
-- keys:      request_key, partition_date, content_hash
-- partition: partition_date
-- sources:   raw.mlb_schedule
with window_response as (
    select distinct on (request_key)
        raw_id,
        payload,
        last_seen_at,
        last_run_id
    from raw.mlb_schedule
    where request_key = %(window_key)s and partition_date = %(window_date)s
    order by request_key asc, last_seen_at desc, raw_id desc
),

date_keys as (
    select
        unnest(%(dates)s::date[]) as partition_date,
        unnest(%(request_keys)s::text[]) as request_key
),

per_date as (
    select
        date_keys.request_key,
        date_keys.partition_date,
        window_response.last_seen_at,
        window_response.last_run_id,
        jsonb_build_object(
            'dates', jsonb_build_array(schedule_date),
            'cutFromRawId', window_response.raw_id
        ) as payload
    from window_response
    cross join lateral jsonb_array_elements(window_response.payload -> 'dates') as schedule_date
    inner join date_keys on (schedule_date ->> 'date')::date = date_keys.partition_date
),

final as (
    select
        *,
        -- the hash ignores cutFromRawId so an unchanged date stays one version
        encode(sha256(convert_to((payload - 'cutFromRawId')::text, 'UTF8')), 'hex') as content_hash
    from per_date
)

insert into raw.mlb_schedule as existing (
    request_key, request_params, partition_date, fetched_at, last_seen_at,
    first_run_id, last_run_id, http_status, content_hash, payload
)
select
    request_key,
    jsonb_build_object('date', partition_date, 'sportId', '1', 'cutFrom', %(window_key)s::text),
    partition_date,
    last_seen_at as fetched_at,
    last_seen_at,
    last_run_id as first_run_id,
    last_run_id,
    200,
    content_hash,
    payload
from final
order by partition_date
on conflict (request_key, partition_date, content_hash) do update set
    last_seen_at = excluded.last_seen_at,
    last_run_id = excluded.last_run_id
