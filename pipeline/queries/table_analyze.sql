-- purpose:   refresh the planner statistics of one table after a bulk load
-- grain:     none
-- keys:      none
-- partition: none
-- sources:   <schema>.<table> (staging.mlb_games when rendered alone)
{%- set schema = schema | default("staging") %}
{%- set table = table | default("mlb_games") %}
analyze {{ schema | ident }}.{{ table | ident }}
