-- purpose:   keep an open incident's summary current; when its rule's cool-down has passed
--            since it last alerted, mark it alerted now (reminder_due: a reminder is owed)
-- grain:     one row per open incident of the rule and subject
-- keys:      incident_id
-- partition: none
-- sources:   ops.alert_incidents, ops.alert_rules
update ops.alert_incidents as incident
set
    summary = %(summary)s,
    last_alerted_at = case
        when incident.last_alerted_at <= now() - make_interval(secs => rules.cooldown_minutes * 60) then now()
        else incident.last_alerted_at
    end
from ops.alert_rules as rules
where
    incident.rule_id = rules.rule_id
    and incident.rule_id = %(rule_id)s
    and incident.subject = %(subject)s
    and incident.resolved_at is null
returning incident.incident_id, incident.last_alerted_at = now() as reminder_due
