-- purpose:   dead letters, the open ones first (or only), newest first
-- grain:     one row per dead letter
-- keys:      dead_letter_id
-- partition: none
-- sources:   ops.dead_letters
select
    dead_letter_id as id,
    run_id,
    endpoint,
    partition_key,
    request_key,
    error_class,
    attempts,
    last_seen_at,
    coalesce(resolution, 'open') as state
from ops.dead_letters
where %(include_resolved)s or resolved_at is null
order by resolved_at is not null, dead_letter_id desc
limit %(limit)s
