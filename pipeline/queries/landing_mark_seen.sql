-- purpose:   mark as seen again the versions of raw.<table> that incoming responses
--            repeat (same request, date and content hash), and name them: the landing
--            path then COPYs only the responses that are new versions
-- grain:     one row per version seen again
-- keys:      request_key, partition_date, content_hash
-- partition: partition_date
-- sources:   raw.<table> (the endpoint's raw table; mlb_boxscore when rendered alone)
-- params:    table = mlb_boxscore
{%- set table = table | default("mlb_boxscore") %}
with incoming as (
    select
        incoming.request_key,
        incoming.partition_date,
        incoming.content_hash,
        incoming.seen_at
    from unnest(
        %(request_keys)s::text[],
        %(partition_dates)s::date[],
        %(content_hashes)s::text[],
        %(seen_at)s::timestamptz[]
    ) as incoming (request_key, partition_date, content_hash, seen_at)
)

update raw.{{ table | ident }} as existing
set
    last_seen_at = incoming.seen_at,
    last_run_id = %(run_id)s
from incoming
where
    existing.request_key = incoming.request_key
    and existing.partition_date = incoming.partition_date
    and existing.content_hash = incoming.content_hash
    -- the dates named as a list too: the plan reads only their partitions, not every
    -- season's (a join on the unnested dates alone scans them all)
    and existing.partition_date = any(%(partition_dates)s::date[])
returning existing.request_key, existing.partition_date, existing.content_hash
