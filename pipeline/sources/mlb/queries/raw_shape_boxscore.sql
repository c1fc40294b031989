-- purpose:   fingerprint each new box-score version (which watched key paths it has),
--            record new schema versions, quarantine payloads missing required fields,
--            with a player without an id or a player listed twice
-- grain:     one row per call (counts)
-- keys:      raw.mlb_boxscore: raw_id
-- partition: partition_date
-- sources:   raw.mlb_boxscore, ops.raw_schema_versions
{%- from "_raw_shape.sql" import raw_shape %}
{{ raw_shape("mlb_boxscore", [
    ("$.teams.away.team.id", "required", ""),
    ("$.teams.home.team.id", "required", ""),
    ("$.teams.away.players", "required", ""),
    ("$.teams.home.players", "required", ""),
    ("$.copyright", "shape", ""),
    ("$.teams.away.team.abbreviation", "shape", ""),
    ("$.teams.*.teamStats.batting", "shape", ""),
    ("$.teams.*.players.*.battingOrder", "shape", ""),
    ("$.teams.*.players.*.person.fullName", "shape", ""),
    ("$.teams.*.players.*.person.boxscoreName", "shape", ""),
    ("$.teams.*.players.*.position.abbreviation", "shape", ""),
    ("$.teams.*.players.*.stats.batting", "shape", ""),
    ("$.teams.*.players.*.stats.pitching", "shape", ""),
    ("$.teams.*.players.* ? (!(exists(@.person.id)) || @.person.id == null)", "violation",
     "a player without person.id"),
], unique_path="$.teams.*.players.*.person.id") }}
