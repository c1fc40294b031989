-- purpose:   the dates of a source owed a curated refresh, with their versions, read by a
--            rebuild before it recomputes everything so that it clears exactly those marks
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   ops.curated_pending
select
    coalesce(array_agg(partition_date order by partition_date), '{}') as pending_dates,
    coalesce(array_agg(version order by partition_date), '{}') as pending_versions
from ops.curated_pending
where source = %(source)s
