-- purpose:   open an incident for a firing rule and subject, unless one is open already
-- grain:     one row per incident opened (none when it was open)
-- keys:      incident_id
-- partition: none
-- sources:   ops.alert_incidents
insert into ops.alert_incidents (rule_id, subject, summary)
values (%(rule_id)s, %(subject)s, %(summary)s)
on conflict (rule_id, subject) where resolved_at is null do nothing
returning incident_id
