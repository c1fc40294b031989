"""Alerts: rules kept in ops.alert_rules, evaluated by a periodic task into incidents that
notify each configured channel (Slack-compatible webhook, generic JSON webhook, email)
once, again only after the rule's cool-down, and once more when they resolve."""
