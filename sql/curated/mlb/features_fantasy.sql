-- purpose:     fantasy form as of each date, under every scoring system: points per game
--              over the last 7, 14 and 30 days and the season to date before that date,
--              their standard deviation (consistency) and the games in each window
-- grain:       one row per feature-set version, scoring system, player and as-of date (a
--              date on which the player's club has a game; his club is the one of his
--              latest game before it)
-- keys:        feature_set_version, scoring_system, player_id, as_of_date
-- partition:   season, as_of_date (for each season a run touched, every as-of date from
--              its earliest touched date on)
-- sources:     curated.mlb_fantasy_points_game, staging.mlb_games, ops.quality_blocked_partitions,
--              ops.quality_blocked_games
-- feature_set: fantasy
-- version:     1
-- as_of:       a row as of D reads only games with official_date < D; the standard
--              deviation is the sample one (null under two games)
{%- from "curated/mlb/_feature_macros.sql" import feature_scope, team_dates, player_spine, refresh_features %}
{%- set version = 1 %}
{#- window name: its length in days (none: the season to date) -#}
{%- set windows = {"7d": 7, "14d": 14, "30d": 30, "season": none} %}
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
    order by
        games.scoring_system asc, games.player_id asc, games.season asc, games.official_date desc,
        games.game_pk desc
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
    order by scoring_system asc, player_id asc, season asc, official_date asc, game_pk desc
),

{{ team_dates() }},

{{ player_spine("spine", "played_days", ["scoring_system", "player_id"]) }},

-- a dense daily grid per player from 31 days before the earliest as-of date to his last
-- as-of date, holding what he did each day (the first day also carries everything
-- earlier in the season): a window ending the day before D is then the difference of
-- two running totals a fixed number of rows apart, with no moving aggregate
grid as (
    select
        spine.scoring_system,
        spine.player_id,
        spine.season,
        scope.from_date - 31 as grid_start,
        max(spine.as_of_date) as grid_end
    from spine
    inner join scope on spine.season = scope.season
    group by spine.scoring_system, spine.player_id, spine.season, scope.from_date
),

grid_days as (
    select
        grid.scoring_system,
        grid.player_id,
        grid.season,
        grid_day::date as official_date,
        coalesce(days.games, 0) + coalesce(carried.games, 0) as games,
        coalesce(days.points, 0) + coalesce(carried.points, 0) as points,
        coalesce(days.points_squared, 0) + coalesce(carried.points_squared, 0) as points_squared
    from grid
    cross join generate_series(grid.grid_start, grid.grid_end, interval '1 day') as grid_day
    left join recent_days as days
        on
            grid.scoring_system = days.scoring_system
            and grid.player_id = days.player_id
            and grid.season = days.season
            and grid_day::date = days.official_date
    left join carried
        on
            grid.scoring_system = carried.scoring_system
            and grid.player_id = carried.player_id
            and grid.season = carried.season
            and grid_day::date = carried.official_date
),

running as (
    select
        scoring_system,
        player_id,
        season,
        official_date,
        sum(games) over same_player as games,
        sum(points) over same_player as points,
        sum(points_squared) over same_player as points_squared
    from grid_days
    window same_player as (
        partition by scoring_system, player_id, season order by official_date rows unbounded preceding
    )
),

windowed as (
    select
        scoring_system,
        player_id,
        season,
        {%- for window, days in windows.items() %}
        {%- for total in ["games", "points", "points_squared"] %}
        lag({{ total }}, 1) over same_player
        {%- if days %} - lag({{ total }}, {{ days + 1 }}) over same_player{% endif %}
            as {{ total }}_{{ window }},
        {%- endfor %}
        {%- endfor %}
        official_date as as_of_date
    from running
    window same_player as (partition by scoring_system, player_id, season order by official_date)
),

final as (
    select
        {{ version }} as feature_set_version,
        spine.scoring_system,
        spine.player_id,
        spine.as_of_date,
        spine.season,
        spine.team_id,
        {%- for window in windows %}
        windowed.games_{{ window }}::integer as games_{{ window }},
        round(windowed.points_{{ window }} / 100.0 / nullif(windowed.games_{{ window }}, 0), 3)
            as points_per_game_{{ window }},
        case when windowed.games_{{ window }} > 1 then
            round(sqrt(
                (
                    windowed.points_squared_{{ window }} * windowed.games_{{ window }}
                    - windowed.points_{{ window }} * windowed.points_{{ window }}
                )
                / (windowed.games_{{ window }} * (windowed.games_{{ window }} - 1.0))
            ) / 100, 3)
        end as points_stddev_{{ window }}{{ "," if not loop.last }}
        {%- endfor %}
    from spine
    inner join windowed
        on
            spine.scoring_system = windowed.scoring_system
            and spine.player_id = windowed.player_id
            and spine.season = windowed.season
            and spine.as_of_date = windowed.as_of_date
),

{{ refresh_features(
    "curated.mlb_features_fantasy", ["feature_set_version", "scoring_system", "player_id", "as_of_date"],
    ["season", "team_id"] + columns, version,
) }}
