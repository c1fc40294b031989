-- purpose:   COPY statement that streams new response versions straight into raw.<table>
--            (binary: the body goes as jsonb's binary input, its JSON text unescaped;
--            the server parses it into jsonb once)
-- grain:     one row per new response version
-- keys:      request_key, partition_date, content_hash
-- partition: partition_date
-- sources:   none
-- params:    table = mlb_boxscore
{%- set table = table | default("mlb_boxscore") %}
copy raw.{{ table | ident }} (
    request_key, request_params, partition_date, fetched_at, last_seen_at, first_run_id, last_run_id,
    http_status, etag, last_modified, content_hash, payload
) from stdin with binary
