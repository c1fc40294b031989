-- purpose:   detach a raw partition from its table before it is exported
-- grain:     none (DDL)
-- keys:      none
-- partition: the partition named
-- sources:   raw.<table>
-- params:    table = mlb_boxscore, partition = mlb_boxscore_y2024m04
{%- set table = table if table is defined else "mlb_boxscore" %}
{%- set partition = partition if partition is defined else "mlb_boxscore_default" %}
-- (sqlfluff's postgres grammar takes no schema before the name after `detach partition`)
alter table raw.{{ table | ident }} detach partition raw.{{ partition | ident }}  -- noqa: PRS
