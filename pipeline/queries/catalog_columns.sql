-- purpose:   the columns of every raw, staging and curated table (not their partitions):
--            type, nullability and the description COMMENT ON gave it
-- grain:     one row per table and column
-- keys:      table_name, column_name
-- partition: none
-- sources:   pg_catalog.pg_attribute, pg_catalog.pg_class, pg_catalog.pg_namespace
select
    namespace.nspname || '.' || class.relname as table_name,
    attribute.attname as column_name,
    format_type(attribute.atttypid, attribute.atttypmod) as data_type,
    not attribute.attnotnull as is_nullable,
    col_description(class.oid, attribute.attnum) as description,
    obj_description(class.oid, 'pg_class') as table_description
from pg_catalog.pg_class as class
inner join pg_catalog.pg_namespace as namespace on class.relnamespace = namespace.oid
inner join pg_catalog.pg_attribute as attribute on class.oid = attribute.attrelid
where
    namespace.nspname in ('raw', 'staging', 'curated')
    and class.relkind in ('r', 'p', 'v')
    and not class.relispartition
    and attribute.attnum > 0
    and not attribute.attisdropped
order by table_name, attribute.attnum
