-- purpose:   a per-transaction buffer that COPY fills with response bodies (parsed into
--            jsonb there, once)
-- grain:     one row per response
-- keys:      none
-- partition: none
-- sources:   none
create temp table landing_buffer (
    request_key text not null,
    request_params jsonb not null,
    partition_date date not null,
    fetched_at timestamptz not null,
    run_id bigint,
    http_status smallint not null,
    etag text,
    last_modified text,
    content_hash text not null,
    payload jsonb not null
) on commit drop
