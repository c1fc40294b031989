-- purpose:   refresh the planner statistics of one table after a bulk load: of the
--            `columns` given (those its queries join, filter and group by), else of all
-- grain:     none
-- keys:      none
-- partition: none
-- sources:   <schema>.<table> (staging.mlb_games when rendered alone)
-- params:    schema = staging, table = mlb_player_batting,
--            columns = [game_pk, player_id, team_id, official_date, season]
{%- set schema = schema | default("staging") %}
{%- set table = table | default("mlb_games") %}
{%- set columns = columns | default([]) %}
analyze {{ schema | ident }}.{{ table | ident }}
{%- if columns %} ({{ columns | map("ident") | join(", ") }}){% endif %}
