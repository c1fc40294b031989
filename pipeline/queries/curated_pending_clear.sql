-- purpose:   after an aggregate's refresh committed: clear the marks it read (a date
--            marked again since has a new version and stays)
-- grain:     one row per source and date
-- keys:      source, partition_date
-- partition: partition_date
-- sources:   ops.curated_pending
delete from ops.curated_pending as pending
using unnest(%(pending_dates)s::date[], %(pending_versions)s::bigint[]) as cleared (partition_date, version)
where
    pending.source = %(source)s
    and pending.partition_date = cleared.partition_date
    and pending.version = cleared.version
