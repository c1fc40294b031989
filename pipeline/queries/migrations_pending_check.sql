-- purpose:   whether the pipeline's tables exist (has `pipeline db migrate` run?)
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   pg_catalog
select to_regclass('ops.pipeline_runs') is not null as migrated
