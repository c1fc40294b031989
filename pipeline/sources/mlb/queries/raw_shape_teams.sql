-- purpose:   fingerprint each new /teams version, record new schema versions,
--            quarantine payloads without a teams list or with a team without an id
-- grain:     one row per call (counts)
-- keys:      raw.mlb_teams: raw_id
-- partition: partition_date
-- sources:   raw.mlb_teams, ops.raw_schema_versions
{%- from "_raw_shape.sql" import raw_shape %}
{{ raw_shape("mlb_teams", [
    ("$.teams", "required", ""),
    ("$.copyright", "shape", ""),
    ("$.teams[*].league.id", "shape", ""),
    ("$.teams[*].division.id", "shape", ""),
    ("$.teams[*].venue.id", "shape", ""),
    ("$.teams[*] ? (!(exists(@.id)) || @.id == null)", "violation", "a team without id"),
], unique_path="$.teams[*].id") }}
