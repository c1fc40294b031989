-- purpose:     batting form as of each date: the last 7, 14 and 30 days and the season to
--              date before that date (games, plate appearances, avg, obp, slg, ops, home
--              runs, stolen bases, strikeout and walk rates per plate appearance)
-- grain:       one row per feature-set version, player and as-of date (a date on which the
--              player's club has a game; his club is the one of his latest game before it)
-- keys:        feature_set_version, player_id, as_of_date
-- partition:   season, as_of_date (for each season a run touched, every as-of date from
--              its earliest touched date on)
-- sources:     staging.mlb_player_batting, staging.mlb_games, ops.quality_blocked_partitions,
--              ops.quality_blocked_games
-- feature_set: batting
-- version:     1
-- as_of:       a row as of D reads only games with official_date < D (regular season,
--              dates not blocked by a failed error quality check)
{%- from "_macros.sql" import in_seasons %}
{%- from "curated/mlb/_feature_macros.sql" import feature_scope, passes_gate, team_dates, player_spine, refresh_features %}
{%- set version = 1 %}
{%- set counts = [
    "plate_appearances", "at_bats", "hits", "base_on_balls", "hit_by_pitch", "sac_flies",
    "total_bases", "home_runs", "stolen_bases", "strike_outs",
] %}
{#- window name: its length in days (none: the season to date) -#}
{%- set windows = {"7d": 7, "14d": 14, "30d": 30, "season": none} %}
{%- set columns = [] %}
{%- set features = [
    "games", "plate_appearances", "avg", "obp", "slg", "ops", "home_runs", "stolen_bases",
    "strikeout_rate", "walk_rate",
] %}
{%- for window in windows %}
{%- for feature in features %}
{%- set _ = columns.append(feature ~ "_" ~ window) %}
{%- endfor %}
{%- endfor %}
with {{ feature_scope() }},

batting_lines as materialized (
    select
        batting.player_id,
        batting.season,
        batting.official_date,
        batting.team_id,
        batting.game_pk,
        games.game_date,
        {%- for column in counts %}
        coalesce(batting.{{ column }}, 0) as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from staging.mlb_player_batting as batting
    inner join scope on batting.season = scope.season
    inner join staging.mlb_games as games on batting.game_pk = games.game_pk
    where
        {{ in_seasons("batting.official_date") }}
        and games.game_type = 'R'
        and {{ passes_gate("batting.game_pk", "batting.official_date") }}
),

-- the windows reach 30 days back from the earliest as-of date: the days since then, one
-- row per player and date played
recent_days as (
    select
        lines.player_id,
        lines.season,
        lines.official_date,
        (array_agg(lines.team_id order by lines.game_date desc, lines.game_pk desc))[1] as team_id,
        count(*)::integer as games,
        {%- for column in counts %}
        sum(lines.{{ column }})::integer as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from batting_lines as lines
    inner join scope on lines.season = scope.season
    where lines.official_date >= scope.from_date - 30
    group by lines.player_id, lines.season, lines.official_date
),

-- what came earlier in the season enters only the season-to-date sums: one carried row
-- per player, dated before every window
carried as (
    select
        lines.player_id,
        lines.season,
        scope.from_date - 31 as official_date,
        count(*)::integer as games,
        {%- for column in counts %}
        sum(lines.{{ column }})::integer as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from batting_lines as lines
    inner join scope on lines.season = scope.season
    where lines.official_date < scope.from_date - 30
    group by lines.player_id, lines.season, scope.from_date
),

-- the club of each player: his latest game before the earliest as-of date, then every
-- date he played since
club_days as (
    select distinct on (lines.player_id, lines.season)
        lines.player_id,
        lines.season,
        lines.official_date,
        lines.team_id
    from batting_lines as lines
    inner join scope on lines.season = scope.season
    where lines.official_date < scope.from_date
    order by
        lines.player_id asc, lines.season asc, lines.official_date desc, lines.game_date desc, lines.game_pk desc
),

played_days as (
    select
        days.player_id,
        days.season,
        days.official_date,
        days.team_id
    from recent_days as days
    inner join scope on days.season = scope.season
    where days.official_date >= scope.from_date
    union all
    select
        player_id,
        season,
        official_date,
        team_id
    from club_days
),

{{ team_dates() }},

{{ player_spine("spine", "played_days", ["player_id"]) }},

-- a dense daily grid per player from 31 days before the earliest as-of date to his last
-- as-of date, holding what he did each day (the first day also carries everything
-- earlier in the season): a window ending the day before D is then the difference of
-- two running totals a fixed number of rows apart, with no moving aggregate
grid as (
    select
        spine.player_id,
        spine.season,
        scope.from_date - 31 as grid_start,
        max(spine.as_of_date) as grid_end
    from spine
    inner join scope on spine.season = scope.season
    group by spine.player_id, spine.season, scope.from_date
),

grid_days as (
    select
        grid.player_id,
        grid.season,
        grid_day::date as official_date,
        {%- for column in ["games"] + counts %}
        coalesce(days.{{ column }}, 0) + coalesce(carried.{{ column }}, 0) as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from grid
    cross join generate_series(grid.grid_start, grid.grid_end, interval '1 day') as grid_day
    left join recent_days as days
        on grid.player_id = days.player_id and grid.season = days.season and grid_day::date = days.official_date
    left join carried
        on
            grid.player_id = carried.player_id
            and grid.season = carried.season
            and grid_day::date = carried.official_date
),

running as (
    select
        player_id,
        season,
        official_date,
        {%- for column in ["games"] + counts %}
        sum({{ column }}) over same_player as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from grid_days
    window same_player as (partition by player_id, season order by official_date rows unbounded preceding)
),

windowed as (
    select
        player_id,
        season,
        {%- for window, days in windows.items() %}
        {%- for total in ["games"] + counts %}
        (
            lag({{ total }}, 1) over same_player
            {%- if days %} - lag({{ total }}, {{ days + 1 }}) over same_player{% endif %}
        )::integer
            as {{ total }}_{{ window }},
        {%- endfor %}
        {%- endfor %}
        official_date as as_of_date
    from running
    window same_player as (partition by player_id, season order by official_date)
),

with_rates as (
    select
        spine.player_id,
        spine.as_of_date,
        spine.season,
        spine.team_id,
        {%- for window in windows %}
        windowed.games_{{ window }},
        windowed.plate_appearances_{{ window }},
        round(windowed.hits_{{ window }}::numeric / nullif(windowed.at_bats_{{ window }}, 0), 3)
            as avg_{{ window }},
        round(
            (
                windowed.hits_{{ window }} + windowed.base_on_balls_{{ window }}
                + windowed.hit_by_pitch_{{ window }}
            )::numeric
            / nullif(
                windowed.at_bats_{{ window }} + windowed.base_on_balls_{{ window }}
                + windowed.hit_by_pitch_{{ window }} + windowed.sac_flies_{{ window }}, 0
            ),
            3
        ) as obp_{{ window }},
        round(windowed.total_bases_{{ window }}::numeric / nullif(windowed.at_bats_{{ window }}, 0), 3)
            as slg_{{ window }},
        windowed.home_runs_{{ window }},
        windowed.stolen_bases_{{ window }},
        round(windowed.strike_outs_{{ window }}::numeric / nullif(windowed.plate_appearances_{{ window }}, 0), 3)
            as strikeout_rate_{{ window }},
        round(windowed.base_on_balls_{{ window }}::numeric / nullif(windowed.plate_appearances_{{ window }}, 0), 3)
            as walk_rate_{{ window }}{{ "," if not loop.last }}
        {%- endfor %}
    from spine
    inner join windowed
        on
            spine.player_id = windowed.player_id
            and spine.season = windowed.season
            and spine.as_of_date = windowed.as_of_date
),

final as (
    select
        {{ version }} as feature_set_version,
        *,
        {%- for window in windows %}
        case
            when plate_appearances_{{ window }} > 0 then coalesce(obp_{{ window }}, 0) + coalesce(slg_{{ window }}, 0)
        end as ops_{{ window }}{{ "," if not loop.last }}
        {%- endfor %}
    from with_rates
),

{{ refresh_features(
    "curated.mlb_features_batting", ["feature_set_version", "player_id", "as_of_date"],
    ["season", "team_id"] + columns, version,
) }}
