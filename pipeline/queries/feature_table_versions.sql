-- purpose:   the feature-set versions a feature table holds, with their row counts and
--            as-of date range
-- grain:     one row per feature-set version
-- keys:      feature_set_version
-- partition: none
-- sources:   the feature table named by the caller (an identifier from the allowlist)
-- params:    schema_name = curated, table_name = mlb_features_batting
{%- set schema_name = schema_name | default("curated") %}
{%- set table_name = table_name | default("mlb_features_batting") %}
select
    feature_set_version,
    count(*) as row_count,
    min(as_of_date) as first_as_of_date,
    max(as_of_date) as last_as_of_date
from {{ schema_name | ident }}.{{ table_name | ident }}
group by feature_set_version
order by feature_set_version
