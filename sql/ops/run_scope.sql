-- purpose:   the dates and seasons a run worked on (not skipped), for the curated refresh
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.run_partitions
select
    coalesce(array_agg(distinct partition_key order by partition_key)
        filter (where endpoint = 'games'), '{}') as dates,
    coalesce(array_agg(distinct extract(year from partition_key)::integer), '{}') as seasons
from ops.run_partitions
where run_id = %(run_id)s and not is_skipped
