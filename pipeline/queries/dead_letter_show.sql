-- purpose:   one dead letter in full: the request, the error, when and how often it failed
-- grain:     one row per dead letter
-- keys:      dead_letter_id
-- partition: none
-- sources:   ops.dead_letters
select
    dead_letter_id,
    run_id,
    source,
    endpoint,
    partition_key,
    request_key,
    request_params::text as request_params,
    error_class,
    error_message,
    attempts,
    first_seen_at,
    last_seen_at,
    resolved_at,
    coalesce(resolution, 'open') as state
from ops.dead_letters
where dead_letter_id = %(dead_letter_id)s
