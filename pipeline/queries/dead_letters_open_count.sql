-- purpose:   how many dead letters are open (not landed, not discarded), over all sources
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   ops.dead_letters
select count(*) as open_letters
from ops.dead_letters
where resolved_at is null
