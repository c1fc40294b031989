-- purpose:     fantasy form as of each date, under every scoring system: points per game
--              over the last 7, 14 and 30 days and the season to date before that date,
--              their standard deviation (consistency) and the games in each window
-- grain:       one row per feature-set version, scoring system, player and as-of date (a
--              date on which the player's club has a game; his club is the one of his
--              latest game before it)
-- keys:        feature_set_version, scoring_system, player_id, as_of_date
-- partition:   season, as_of_date (for each season a run touched, every as-of date from
--              its earliest touched date on)
-- sources:     curated.mlb_fantasy_points_game, staging.mlb_games, ops.quality_blocked_partitions
-- feature_set: fantasy
-- version:     1
-- as_of:       a row as of D reads only games with official_date < D; the standard
--              deviation is the sample one (null under two games)
{%- from "_feature_macros.sql" import feature_scope, team_dates, player_spine, refresh_features %}
{%- set version = 1 %}
{%- set windows = {
    "7d": "interval '7 days' preceding",
    "14d": "interval '14 days' preceding",
    "30d": "interval '30 days' preceding",
    "season": "unbounded preceding",
} %}
{%- set columns = [] %}
{%- for window in windows %}
{%- for feature in ["games", "points_per_game", "points_stddev"] %}
{%- set _ = columns.append(feature ~ "_" ~ window) %}
{%- endfor %}
{%- endfor %}
with {{ feature_scope() }},

-- points in hundredths, as integers: the window sums stay exact and cheap
game_points as materialized (
    select
        points.scoring_system,
        points.player_id,
        points.season,
        points.official_date,
        points.team_id,
        points.game_pk,
        (points.total_points * 100)::integer as points
    from curated.mlb_fantasy_points_game as points
    inner join scope on points.season = scope.season
),

-- the windows reach 30 days back from the earliest as-of date: the days since then, one
-- row per player and date played
recent_days as (
    select
        games.scoring_system,
        games.player_id,
        games.season,
        games.official_date,
        count(*)::integer as games,
        sum(games.points)::bigint as points,
        sum(games.points::bigint * games.points)::bigint as points_squared
    from game_points as games
    inner join scope on games.season = scope.season
    where games.official_date >= scope.from_date - 30
    group by games.scoring_system, games.player_id, games.season, games.official_date
),

-- what came earlier in the season enters only the season-to-date sums: one carried row
-- per player, dated before every window
carried as (
    select
        games.scoring_system,
        games.player_id,
        games.season,
        scope.from_date - 31 as official_date,
        count(*)::integer as games,
        sum(games.points)::bigint as points,
        sum(games.points::bigint * games.points)::bigint as points_squared
    from game_points as games
    inner join scope on games.season = scope.season
    where games.official_date < scope.from_date - 30
    group by games.scoring_system, games.player_id, games.season, scope.from_date
),

-- the club of each player: his latest game before the earliest as-of date, then every
-- game he played since (the game's club: the fantasy line's)
latest_before as (
    select distinct on (games.scoring_system, games.player_id, games.season)
        games.scoring_system,
        games.player_id,
        games.season,
        games.official_date,
        games.team_id
    from game_points as games
    inner join scope on games.season = scope.season
    where games.official_date < scope.from_date
    order by games.scoring_system, games.player_id, games.season, games.official_date desc, games.game_pk desc
),

club_days as (
    select
        games.scoring_system,
        games.player_id,
        games.season,
        games.official_date,
        games.team_id,
        games.game_pk
    from game_points as games
    inner join scope on games.season = scope.season
    where games.official_date >= scope.from_date
    union all
    select
        *,
        null
    from latest_before
),

played_days as (
    select distinct on (scoring_system, player_id, season, official_date)
        scoring_system,
        player_id,
        season,
        official_date,
        team_id
    from club_days
    order by scoring_system, player_id, season, official_date, game_pk desc
),

{{ team_dates() }},

{{ player_spine("spine", "played_days", ["scoring_system", "player_id"]) }},

window_rows as (
    select
        false as is_as_of,
        null::integer as team_id,
        carried.*
    from carried
    union all
    select
        false as is_as_of,
        null::integer as team_id,
        recent_days.*
    from recent_days
    union all
    select
        true as is_as_of,
        team_id,
        scoring_system,
        player_id,
        season,
        as_of_date,
        0,
        0,
        0
    from spine
),

windowed as (
    select
        scoring_system,
        player_id,
        season,
        official_date as as_of_date,
        team_id,
        {%- for window in windows %}
        coalesce(sum(games) over w_{{ window }}, 0)::integer as games_{{ window }},
        sum(points) over w_{{ window }} as points_{{ window }},
        sum(points_squared) over w_{{ window }} as points_squared_{{ window }},
        {%- endfor %}
        is_as_of
    from window_rows
    window
        {%- for window, frame in windows.items() %}
        w_{{ window }} as (
            partition by scoring_system, player_id, season order by official_date
            range between {{ frame }} and interval '1 day' preceding
        ){{ "," if not loop.last }}
        {%- endfor %}
),

final as (
    select
        {{ version }} as feature_set_version,
        scoring_system,
        player_id,
        as_of_date,
        season,
        team_id,
        {%- for window in windows %}
        games_{{ window }},
        round(points_{{ window }} / 100.0 / nullif(games_{{ window }}, 0), 3) as points_per_game_{{ window }},
        case when games_{{ window }} > 1 then
            round(sqrt(
                (points_squared_{{ window }} * games_{{ window }} - points_{{ window }} * points_{{ window }})
                / (games_{{ window }} * (games_{{ window }} - 1.0))
            ) / 100, 3)
        end as points_stddev_{{ window }}{{ "," if not loop.last }}
        {%- endfor %}
    from windowed
    where is_as_of
),

{{ refresh_features(
    "curated.mlb_features_fantasy", ["feature_set_version", "scoring_system", "player_id", "as_of_date"],
    ["season", "team_id"] + columns, version,
) }}
