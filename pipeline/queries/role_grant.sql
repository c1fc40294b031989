-- purpose:   give a login one of the pipeline's group roles (pipeline_analyst, pipeline_writer)
-- grain:     one statement
-- keys:      none
-- partition: none
-- sources:   pg_roles
-- params:    group_role = pipeline_analyst, login = analyst
{#- the values `pipeline db grant` passes; these defaults only let the file render alone -#}
{%- set group_role = group_role if group_role is defined else "pipeline_analyst" %}
{%- set login = login if login is defined else "analyst" %}
grant {{ group_role | ident }} to {{ login | ident }}
