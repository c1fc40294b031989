-- purpose:   list migrations already applied, with their checksums
-- grain:     one row per applied migration
-- keys:      name
-- partition: none
-- sources:   ops.schema_migrations
select
    name,
    checksum,
    applied_at
from ops.schema_migrations
order by name
