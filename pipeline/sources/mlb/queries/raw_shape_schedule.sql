-- purpose:   fingerprint each new schedule version, record new schema versions,
--            quarantine payloads missing required fields (a game without gamePk, teams
--            or date)
-- grain:     one row per call (counts)
-- keys:      raw.mlb_schedule: raw_id
-- partition: partition_date
-- sources:   raw.mlb_schedule, ops.raw_schema_versions
{%- from "_raw_shape.sql" import raw_shape %}
{{ raw_shape("mlb_schedule", [
    ("$.dates", "required", ""),
    ("$.copyright", "shape", ""),
    ("$.dates[*].games[*].status.codedGameState", "shape", ""),
    ("$.dates[*].games[*].teams.*.score", "shape", ""),
    ("$.dates[*].games[*].rescheduleDate", "shape", ""),
    ("$.dates[*].games[*].rescheduledFrom", "shape", ""),
    ("$.dates[*].games[*].venue.id", "shape", ""),
    ("$.dates[*].games[*] ? (!(exists(@.gamePk)) || @.gamePk == null)", "violation",
     "a game without gamePk"),
    ("$.dates[*].games[*] ? (!(exists(@.officialDate)))", "violation",
     "a game without officialDate"),
    ("$.dates[*].games[*] ? (!(exists(@.teams.away.team.id)) || !(exists(@.teams.home.team.id)))",
     "violation", "a game without its two team ids"),
]) }}
