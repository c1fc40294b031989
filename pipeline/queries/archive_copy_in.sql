-- purpose:   stream an archived partition's rows back into its re-created partition
-- grain:     one line per raw version
-- keys:      raw_id
-- partition: the partition named
-- sources:   the archive file
-- params:    partition = mlb_boxscore_y2024m04, columns = [raw_id, request_key, request_params,
--            partition_date, fetched_at, last_seen_at, first_run_id, last_run_id, http_status,
--            etag, last_modified, content_hash, payload, schema_version]
{%- set partition = partition if partition is defined else "mlb_boxscore_default" %}
{%- set columns = columns if columns is defined else ["raw_id"] %}
copy raw.{{ partition | ident }} ({{ columns | map("ident") | join(", ") }}) from stdin
