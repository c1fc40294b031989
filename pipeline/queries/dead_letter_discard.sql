-- purpose:   give up on open dead letters (one by id, or all): they stay as history
-- grain:     one row per dead letter
-- keys:      dead_letter_id
-- partition: none
-- sources:   none
update ops.dead_letters
set
    resolved_at = now(),
    resolution = 'discarded'
where
    resolved_at is null
    and (%(dead_letter_id)s::bigint is null or dead_letter_id = %(dead_letter_id)s)
returning dead_letter_id
