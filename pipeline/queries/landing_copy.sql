-- purpose:   COPY statement that streams response bodies into the landing buffer (binary,
--            as landing_copy_raw)
-- grain:     one row per response
-- keys:      none
-- partition: none
-- sources:   none
copy pg_temp.landing_buffer (
    request_key, request_params, partition_date, fetched_at, run_id,
    http_status, etag, last_modified, content_hash, payload
) from stdin with binary
