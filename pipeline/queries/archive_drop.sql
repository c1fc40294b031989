-- purpose:   drop a detached raw partition once its export has been verified
-- grain:     none (DDL)
-- keys:      none
-- partition: the partition named
-- sources:   raw.<partition>
-- params:    partition = mlb_boxscore_y2024m04
{%- set partition = partition if partition is defined else "mlb_boxscore_default" %}
drop table raw.{{ partition | ident }}
