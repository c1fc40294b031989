-- purpose:   record that a migration file was applied, with its checksum
-- grain:     one row per applied migration
-- keys:      name
-- partition: none
-- sources:   none
insert into ops.schema_migrations (name, checksum)
values (%(name)s, %(checksum)s)
