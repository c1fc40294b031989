-- purpose:   how fresh one table is: its rows and the newest value of its time column
--            (updated_at in staging and curated, last_seen_at in raw; none: null)
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   the table named
-- params:    schema = staging, table = mlb_games, time_column = updated_at
{%- set schema = schema if schema is defined else "staging" %}
{%- set table = table if table is defined else "mlb_games" %}
{%- set time_column = time_column if time_column is defined else "updated_at" %}
select
    count(*) as row_count,
    {% if time_column %}max({{ time_column | ident }}){% else %}null::timestamptz{% endif %} as newest_at
from {{ schema | ident }}.{{ table | ident }}
