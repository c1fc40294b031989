-- purpose:   the distinct dates held by a raw partition (what a rebuild must transform)
-- grain:     one row per date
-- keys:      partition_date
-- partition: the partition named
-- sources:   raw.<partition>
-- params:    partition = mlb_boxscore_y2024m04
{%- set partition = partition if partition is defined else "mlb_boxscore_default" %}
select distinct partition_date
from raw.{{ partition | ident }}
order by partition_date
