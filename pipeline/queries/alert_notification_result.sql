-- purpose:   record one delivery attempt of a notification: delivered, or the error
-- grain:     one row per notification
-- keys:      notification_id
-- partition: none
-- sources:   ops.alert_notifications
update ops.alert_notifications
set
    attempts = attempts + 1,
    delivered_at = case when %(error)s::text is null then now() end,
    last_error = %(error)s
where notification_id = %(notification_id)s
