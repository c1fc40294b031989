-- purpose:   whether a failed error-severity quality check holds back anything of a
--            partition from curated: the whole date, or one of its games
-- grain:     one row per call
-- keys:      none
-- partition: partition_key
-- sources:   ops.quality_blocked_partitions, ops.quality_blocked_games
select
    exists (
        select 1
        from ops.quality_blocked_partitions as blocked
        where blocked.source = %(source)s and blocked.partition_key = %(partition_key)s
    )
    or exists (
        select 1
        from ops.quality_blocked_games as blocked
        where blocked.source = %(source)s and blocked.partition_key = %(partition_key)s
    ) as is_blocked
