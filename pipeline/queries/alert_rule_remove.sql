-- purpose:   remove an alert rule (its incidents and notifications go with it)
-- grain:     one row per rule removed
-- keys:      name
-- partition: none
-- sources:   ops.alert_rules
delete from ops.alert_rules
where name = %(name)s
returning rule_id
