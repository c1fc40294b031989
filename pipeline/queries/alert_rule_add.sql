-- purpose:   add an alert rule, or change the one of that name
-- grain:     one row per rule
-- keys:      name
-- partition: none
-- sources:   none
insert into ops.alert_rules (name, kind, threshold, cooldown_minutes, is_enabled)
values (%(name)s, %(kind)s, %(threshold)s, %(cooldown_minutes)s, true)
on conflict (name) do update set
    kind = excluded.kind,
    threshold = excluded.threshold,
    cooldown_minutes = excluded.cooldown_minutes,
    is_enabled = true
returning rule_id
