-- purpose:   owe a channel one notification (firing, reminder, resolved) of an incident
-- grain:     one row per notification
-- keys:      notification_id
-- partition: none
-- sources:   none
insert into ops.alert_notifications (incident_id, channel, event)
values (%(incident_id)s, %(channel)s, %(event)s)
