-- purpose:     each club's context on a date from the schedule: its opponent and home or
--              away (the first game of a doubleheader), its games that day, and its games
--              in the 7 days before
-- grain:       one row per feature-set version, club and date on which it has a game
-- keys:        feature_set_version, team_id, as_of_date
-- partition:   season, as_of_date (for each season a run touched, every date from its
--              earliest touched date on)
-- sources:     staging.mlb_games, ops.quality_blocked_partitions,
--              ops.quality_blocked_games
-- feature_set: context
-- version:     1
-- as_of:       the opponent and home/away of D are known before D's games; the 7-day count
--              reads only games with official_date < D
{%- from "curated/mlb/_feature_macros.sql" import feature_scope, team_dates, refresh_features %}
{%- set version = 1 %}
with {{ feature_scope() }},

{{ team_dates() }},

counted as (
    select
        team_dates.*,
        coalesce(sum(team_dates.games_on_date) over (
            partition by team_dates.team_id, team_dates.season order by team_dates.official_date
            range between interval '7 days' preceding and interval '1 day' preceding
        ), 0)::integer as team_games_7d
    from team_dates
),

final as (
    select
        {{ version }} as feature_set_version,
        counted.team_id,
        counted.official_date as as_of_date,
        counted.season,
        counted.games_on_date,
        counted.opponent_team_id,
        counted.is_home,
        counted.team_games_7d
    from counted
    inner join scope on counted.season = scope.season
    where counted.official_date >= scope.from_date
),

{{ refresh_features(
    "curated.mlb_features_context", ["feature_set_version", "team_id", "as_of_date"],
    ["season", "games_on_date", "opponent_team_id", "is_home", "team_games_7d"], version,
) }}
