-- purpose:   open dead letters by source, endpoint and error class, for the dashboard
-- grain:     one row per source, endpoint and error class with open letters
-- keys:      source, endpoint, error_class
-- partition: none
-- sources:   ops.dead_letters
select
    source,
    endpoint,
    error_class,
    count(*) as open_letters
from ops.dead_letters
where resolved_at is null
group by source, endpoint, error_class
order by open_letters desc
