-- purpose:   close the open letters of requests that have now landed (a quarantined
--            answer's letter is closed by quarantine_letters_sync, once a good version is in)
-- grain:     one open letter per source and request
-- keys:      source, request_key (while unresolved)
-- partition: none
-- sources:   none
update ops.dead_letters
set
    resolved_at = now(),
    resolution = 'landed'
where
    source = %(source)s
    and request_key = any(%(request_keys)s::text[])
    and resolved_at is null
    and error_class <> 'Quarantined'
