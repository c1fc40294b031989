-- purpose:   every partition of the raw tables: its range, exact row count and size on disk
-- grain:     one row per partition
-- keys:      partition_name
-- partition: none
-- sources:   pg_inherits, pg_class, ops.count_rows (each partition, counted exactly)
with partitions as (
    select
        parent.relname as table_name,
        child.relname as partition_name,
        child.oid as partition_oid,
        pg_get_expr(child.relpartbound, child.oid) as bounds,
        substring(pg_get_expr(child.relpartbound, child.oid) from 'FROM \(''([0-9-]+)''\)')::date
            as range_start,
        substring(pg_get_expr(child.relpartbound, child.oid) from 'TO \(''([0-9-]+)''\)')::date
            as range_end
    from pg_inherits as inheritance
    inner join pg_class as parent on inheritance.inhparent = parent.oid
    inner join pg_class as child on inheritance.inhrelid = child.oid
    inner join pg_namespace as schema_ on parent.relnamespace = schema_.oid
    where
        schema_.nspname = 'raw'
        and parent.relkind = 'p'
        and child.relkind in ('r', 'p')
        and (%(table_name)s::text is null or parent.relname = %(table_name)s)
)

select
    table_name,
    partition_name,
    range_start,
    range_end,
    bounds = 'DEFAULT' as is_default,
    ops.count_rows(partition_oid::regclass) as row_count,
    pg_total_relation_size(partition_oid) as total_bytes
from partitions
order by table_name, is_default, range_start
