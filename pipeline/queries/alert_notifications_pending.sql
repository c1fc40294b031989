-- purpose:   notifications not yet delivered (under the attempt limit), with what to say
-- grain:     one row per pending notification
-- keys:      notification_id
-- partition: none
-- sources:   ops.alert_notifications, ops.alert_incidents, ops.alert_rules
select
    notification.notification_id,
    notification.channel,
    notification.event,
    incident.incident_id,
    rules.name as rule_name,
    rules.kind,
    incident.subject,
    incident.summary,
    incident.opened_at,
    incident.resolved_at
from ops.alert_notifications as notification
inner join ops.alert_incidents as incident on notification.incident_id = incident.incident_id
inner join ops.alert_rules as rules on incident.rule_id = rules.rule_id
where notification.delivered_at is null and notification.attempts < %(max_attempts)s
order by notification.notification_id
