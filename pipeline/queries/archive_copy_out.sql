-- purpose:   stream a detached raw partition out (COPY text format) in raw_id order
-- grain:     one line per raw version
-- keys:      raw_id
-- partition: the partition named
-- sources:   raw.<partition>
-- params:    partition = mlb_boxscore_y2024m04, columns = [raw_id, request_key, request_params,
--            partition_date, fetched_at, last_seen_at, first_run_id, last_run_id, http_status,
--            etag, last_modified, content_hash, payload, schema_version]
{%- set partition = partition if partition is defined else "mlb_boxscore_default" %}
{%- set columns = columns if columns is defined else ["raw_id"] %}
copy (
    select {{ columns | map("ident") | join(", ") }}
    from raw.{{ partition | ident }}
    order by raw_id
) to stdout
