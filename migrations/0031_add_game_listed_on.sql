-- Adds staging.mlb_games.listed_on, the schedule date whose listing a game's row comes from,
-- so that a game listed on several dates always resolves to the same listing whatever order
-- the date partitions run in (see sql/staging/mlb/games.sql). Rows staged before stay null
-- until the next staging (or `pipeline run restage`) of a date that lists them.
alter table staging.mlb_games add column listed_on date;
