-- purpose:   the columns of a curated table in order (the features a feature table holds)
-- grain:     one row per column
-- keys:      column_name
-- partition: none
-- sources:   information_schema.columns
select column_name
from information_schema.columns
where table_schema = 'curated' and table_name = %(table_name)s
order by ordinal_position
