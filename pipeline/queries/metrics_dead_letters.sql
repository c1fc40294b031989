-- purpose:   open dead letters by source and endpoint, for the pipeline_dead_letters_open gauge
-- grain:     one row per source and endpoint with open letters
-- keys:      source, endpoint
-- partition: none
-- sources:   ops.dead_letters
select
    source,
    endpoint,
    count(*) as open_letters
from ops.dead_letters
where resolved_at is null
group by source, endpoint
