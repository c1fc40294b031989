-- purpose:   row count and checksum of a raw partition: md5 over each row's md5 in raw_id
--            order, so an exported and restored partition can be proved identical
-- grain:     one row
-- keys:      none
-- partition: the partition named
-- sources:   raw.<partition>
-- params:    partition = mlb_boxscore_y2024m04
{%- set partition = partition if partition is defined else "mlb_boxscore_default" %}
select
    count(*) as row_count,
    md5(coalesce(string_agg(md5(archived::text), '' order by archived.raw_id), '')) as rows_md5
from raw.{{ partition | ident }} as archived
