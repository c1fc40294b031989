-- purpose:   the columns of a raw table in order (what an archive file holds)
-- grain:     one row per column
-- keys:      column_name
-- partition: none
-- sources:   information_schema.columns
select column_name
from information_schema.columns
where table_schema = 'raw' and table_name = %(table_name)s
order by ordinal_position
