-- purpose:   a 304 Not Modified: mark the latest version of each request as seen again
-- grain:     one row per request key
-- keys:      request_key, partition_date
-- partition: partition_date
-- sources:   raw.<table> (the endpoint's raw table; mlb_boxscore when rendered alone)
-- params:    table = mlb_boxscore
{%- set table = table | default("mlb_boxscore") %}
with latest as (
    select distinct on (request_key)
        raw_id,
        partition_date
    from raw.{{ table | ident }}
    where
        request_key = any(%(request_keys)s::text[])
        and partition_date = any(%(partition_dates)s::date[])
    order by request_key asc, last_seen_at desc, raw_id desc
)

update raw.{{ table | ident }} as existing
set
    last_seen_at = now(),
    last_run_id = %(run_id)s
from latest
where existing.raw_id = latest.raw_id and existing.partition_date = latest.partition_date
