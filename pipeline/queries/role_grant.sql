-- purpose:   give a login one of the pipeline's group roles (pipeline_analyst, pipeline_writer)
-- grain:     one statement
-- keys:      none
-- partition: none
-- sources:   pg_roles
-- params:    group_role = pipeline_analyst, login = analyst
grant {{ group_role | ident }} to {{ login | ident }}
