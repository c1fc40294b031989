-- purpose:   every alert rule with its open incident count, for `pipeline alerts list`
-- grain:     one row per rule
-- keys:      rule_id
-- partition: none
-- sources:   ops.alert_rules, ops.alert_incidents
select
    rules.name,
    rules.kind,
    rules.threshold,
    rules.cooldown_minutes as cooldown_min,
    rules.is_enabled as enabled,
    count(incident.incident_id) as open_incidents,
    string_agg(incident.subject || ': ' || incident.summary, '; ') as firing
from ops.alert_rules as rules
left join ops.alert_incidents as incident on rules.rule_id = incident.rule_id and incident.resolved_at is null
group by rules.rule_id
order by rules.name
