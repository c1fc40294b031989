-- purpose:   keep a request that failed for good, or count one more failure of it
-- grain:     one open letter per source and request
-- keys:      source, request_key (while unresolved)
-- partition: none
-- sources:   none
insert into ops.dead_letters as letter (
    run_id, source, endpoint, partition_key, request_key, request_params,
    error_class, error_message
)
values (
    %(run_id)s, %(source)s, %(endpoint)s, %(partition_key)s, %(request_key)s,
    %(request_params)s, %(error_class)s, %(error_message)s
)
on conflict (source, request_key) where resolved_at is null do update set
    run_id = excluded.run_id,
    error_class = excluded.error_class,
    error_message = excluded.error_message,
    attempts = letter.attempts + 1,
    last_seen_at = now()
