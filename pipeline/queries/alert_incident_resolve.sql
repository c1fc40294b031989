-- purpose:   resolve every open incident whose rule and subject no longer fire
-- grain:     one row per incident resolved
-- keys:      incident_id
-- partition: none
-- sources:   ops.alert_incidents
update ops.alert_incidents as incident
set resolved_at = now()
where
    incident.resolved_at is null
    and not exists (
        select
        from unnest(%(rule_ids)s::bigint[], %(subjects)s::text[]) as firing (rule_id, subject)
        where firing.rule_id = incident.rule_id and firing.subject = incident.subject
    )
returning incident.incident_id
