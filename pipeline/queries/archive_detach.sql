-- purpose:   detach a raw partition from its table before it is exported
-- grain:     none (DDL)
-- keys:      none
-- partition: the partition named
-- sources:   raw.<table>
{%- set table = table if table is defined else "mlb_boxscore" %}
{%- set partition = partition if partition is defined else "mlb_boxscore_default" %}
alter table raw.{{ table | ident }} detach partition raw.{{ partition | ident }}
