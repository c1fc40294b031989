-- purpose:     pitching form as of each date: the last 3 and 5 appearances and the season
--              to date before that date (appearances, starts, innings as outs, era, whip,
--              strikeouts and walks per nine innings) and the days since the last appearance
-- grain:       one row per feature-set version, pitcher and as-of date (a date on which the
--              pitcher's club has a game; his club is the one of his latest game before it)
-- keys:        feature_set_version, player_id, as_of_date
-- partition:   season, as_of_date (for each season a run touched, every as-of date from
--              its earliest touched date on)
-- sources:     staging.mlb_player_pitching, staging.mlb_games, ops.quality_blocked_partitions,
--              ops.quality_blocked_games
-- feature_set: pitching
-- version:     1
-- as_of:       a row as of D reads only appearances with official_date < D (regular season,
--              dates not blocked by a failed error quality check)
{%- from "_macros.sql" import in_seasons %}
{%- from "curated/mlb/_feature_macros.sql" import feature_scope, passes_gate, team_dates, player_spine, refresh_features %}
{%- set version = 1 %}
{%- set counts = ["started", "outs", "earned_runs", "hits", "base_on_balls", "strike_outs"] %}
{%- set windows = {
    "last3": "rows between 2 preceding and current row",
    "last5": "rows between 4 preceding and current row",
    "season": "rows between unbounded preceding and current row",
} %}
{%- set features = [
    "appearances", "starts", "outs", "era", "whip", "strikeouts_per9", "walks_per9",
] %}
{%- set columns = ["days_since_last_appearance"] %}
{%- for window in windows %}
{%- for feature in features %}
{%- set _ = columns.append(feature ~ "_" ~ window) %}
{%- endfor %}
{%- endfor %}
with {{ feature_scope() }},

appearances as (
    select
        pitching.player_id,
        pitching.season,
        pitching.official_date,
        pitching.team_id,
        pitching.game_pk,
        games.game_date,
        (coalesce(pitching.games_started, 0) > 0)::integer as started,
        coalesce(pitching.outs, 0) as outs,
        coalesce(pitching.earned_runs, 0) as earned_runs,
        coalesce(pitching.hits, 0) as hits,
        coalesce(pitching.base_on_balls, 0) as base_on_balls,
        coalesce(pitching.strike_outs, 0) as strike_outs
    from staging.mlb_player_pitching as pitching
    inner join scope on pitching.season = scope.season
    inner join staging.mlb_games as games on pitching.game_pk = games.game_pk
    where
        {{ in_seasons("pitching.official_date") }}
        and games.game_type = 'R'
        and {{ passes_gate("pitching.game_pk", "pitching.official_date") }}
),

-- only the 5 latest appearances before the earliest as-of date feed a last-3 or last-5
-- window; earlier ones enter the season sums only, as one carried row per pitcher that
-- sorts first (and is never within 5 rows of an appearance whose sums are used)
ranked as (
    select
        appearances.*,
        appearances.official_date < scope.from_date as is_before,
        row_number() over (
            partition by appearances.player_id, appearances.season, appearances.official_date < scope.from_date
            order by appearances.official_date desc, appearances.game_date desc, appearances.game_pk desc
        ) as recency
    from appearances
    inner join scope on appearances.season = scope.season
),

kept as (
    select
        false as is_carried,
        player_id,
        season,
        official_date,
        team_id,
        game_pk,
        game_date,
        1 as appearances,
        {%- for column in counts %}
        {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from ranked
    where not is_before or recency <= 5
    union all
    select
        true as is_carried,
        player_id,
        season,
        null::date as official_date,
        null::integer as team_id,
        null::bigint as game_pk,
        null::timestamptz as game_date,
        count(*)::integer as appearances,
        {%- for column in counts %}
        sum({{ column }})::integer as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from ranked
    where is_before and recency > 5
    group by player_id, season
),

-- each appearance with its last-3, last-5 and season sums up to and including itself
appearance_windows as (
    select
        player_id,
        season,
        official_date,
        team_id,
        is_carried,
        {%- for window in windows %}
        sum(appearances) over w_{{ window }} as appearances_{{ window }},
        {%- for column in counts %}
        sum({{ column }}) over w_{{ window }} as {{ column }}_{{ window }},
        {%- endfor %}
        {%- endfor %}
        row_number() over (
            partition by player_id, season, official_date order by game_date desc, game_pk desc
        ) as latest_of_day
    from kept
    window
        {%- for window, frame in windows.items() %}
        w_{{ window }} as (
            partition by player_id, season order by is_carried desc, official_date asc, game_date asc, game_pk asc
            {{ frame }}
        ){{ "," if not loop.last }}
        {%- endfor %}
),

-- one row per pitcher and day pitched: the sums after that day's last appearance
pitched_days as materialized (
    select
        *,
        lead(official_date) over (partition by player_id, season order by official_date) as next_pitched_date
    from appearance_windows
    where latest_of_day = 1 and not is_carried
),

{{ team_dates() }},

{{ player_spine("spine", "pitched_days", ["player_id"]) }},

-- a timeline per pitcher: the days pitched and the as-of dates (an as-of date sorts before
-- a day pitched on the same date: it must not see it); each as-of date belongs to the
-- group opened by the latest day pitched before it and takes that day's sums
timeline as (
    select
        false as is_as_of,
        days.player_id,
        days.season,
        days.official_date,
        days.team_id,
        {%- for window in windows %}
        days.appearances_{{ window }},
        {%- for column in counts %}
        days.{{ column }}_{{ window }},
        {%- endfor %}
        {%- endfor %}
        days.official_date as pitched_date
    from pitched_days as days
    inner join scope on days.season = scope.season
    where days.next_pitched_date is null or days.next_pitched_date >= scope.from_date
    union all
    select
        true as is_as_of,
        player_id,
        season,
        as_of_date,
        team_id,
        {%- for window in windows %}
        null,
        {%- for column in counts %}
        null,
        {%- endfor %}
        {%- endfor %}
        null::date
    from spine
),

grouped as (
    select
        *,
        count(pitched_date) over (
            partition by player_id, season order by official_date asc, is_as_of desc
            rows between unbounded preceding and current row
        ) as pitched_group
    from timeline
),

carried as (
    select
        is_as_of,
        player_id,
        season,
        official_date,
        team_id,
        {%- for window in windows %}
        max(appearances_{{ window }}) over same_group as appearances_{{ window }},
        {%- for column in counts %}
        max({{ column }}_{{ window }}) over same_group as {{ column }}_{{ window }},
        {%- endfor %}
        {%- endfor %}
        max(pitched_date) over same_group as last_pitched_date
    from grouped
    window same_group as (partition by player_id, season, pitched_group)
),

final as (
    select
        {{ version }} as feature_set_version,
        player_id,
        official_date as as_of_date,
        season,
        team_id,
        official_date - last_pitched_date as days_since_last_appearance,
        {%- for window in windows %}
        appearances_{{ window }}::integer as appearances_{{ window }},
        started_{{ window }}::integer as starts_{{ window }},
        outs_{{ window }}::integer as outs_{{ window }},
        round(earned_runs_{{ window }} * 27.0 / nullif(outs_{{ window }}, 0), 2) as era_{{ window }},
        round((base_on_balls_{{ window }} + hits_{{ window }}) * 3.0 / nullif(outs_{{ window }}, 0), 2)
            as whip_{{ window }},
        round(strike_outs_{{ window }} * 27.0 / nullif(outs_{{ window }}, 0), 2) as strikeouts_per9_{{ window }},
        round(base_on_balls_{{ window }} * 27.0 / nullif(outs_{{ window }}, 0), 2)
            as walks_per9_{{ window }}{{ "," if not loop.last }}
        {%- endfor %}
    from carried
    where is_as_of
),

{{ refresh_features(
    "curated.mlb_features_pitching", ["feature_set_version", "player_id", "as_of_date"],
    ["season", "team_id"] + columns, version,
) }}
