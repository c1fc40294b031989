-- purpose:   create the group roles the migrations grant to (pipeline_analyst,
--            pipeline_writer) when the cluster has none yet; run in the migration's
--            transaction before any migration. Roles belong to the cluster, not the
--            database: two databases migrated at once both find no role, the second
--            `create role` waits for the first to commit and then fails as a duplicate,
--            which means the role is there (seen: the suite's workers building their
--            template databases on a fresh server at once)
-- grain:     none
-- keys:      none
-- partition: none
-- sources:   pg_roles
do $roles$
begin
    if not exists (select 1 from pg_roles where rolname = 'pipeline_analyst') then
        begin
            create role pipeline_analyst nologin;
        exception when duplicate_object or unique_violation then
            null;  -- another database's migration made it meanwhile
        end;
    end if;
    if not exists (select 1 from pg_roles where rolname = 'pipeline_writer') then
        begin
            create role pipeline_writer nologin;
        exception when duplicate_object or unique_violation then
            null;
        end;
    end if;
end;
$roles$
