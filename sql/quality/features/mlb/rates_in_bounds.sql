-- purpose:   feature rates within their possible bounds: avg, obp, strikeout and walk
--            rates in [0, 1], slg in [0, 4], ops in [0, 5]; era, whip, strikeouts and walks
--            per nine at least 0; a points standard deviation at least 0
-- grain:     one row per run (the rows checked are the feature rows it recomputed)
-- keys:      failing keys: table, player_id, as_of_date
-- partition: season, as_of_date (from each touched season's earliest touched date)
-- sources:   curated.mlb_features_batting, curated.mlb_features_pitching,
--            curated.mlb_features_fantasy
-- severity:  warn
-- threshold: 0 (rows out of bounds)
{%- from "curated/mlb/_feature_macros.sql" import feature_check_result, feature_scope %}
{%- set windows = ["7d", "14d", "30d", "season"] %}
with {{ feature_scope() }},

checked as (
    select
        'mlb_features_batting' as table_name,
        batting.player_id,
        batting.as_of_date,
        null::text as scoring_system,
        coalesce(
            {%- for window in windows %}
            least(batting.avg_{{ window }}, batting.obp_{{ window }}, batting.slg_{{ window }}, batting.ops_{{ window }},
                batting.strikeout_rate_{{ window }}, batting.walk_rate_{{ window }}) < 0
            or greatest(
                batting.avg_{{ window }}, batting.obp_{{ window }}, batting.strikeout_rate_{{ window }},
                batting.walk_rate_{{ window }}
            ) > 1
            or batting.slg_{{ window }} > 4
            or batting.ops_{{ window }} > 5{{ " or" if not loop.last }}
            {%- endfor %},
            false
        ) as is_failing
    from curated.mlb_features_batting as batting
    inner join scope on batting.season = scope.season and batting.as_of_date >= scope.from_date
    union all
    select
        'mlb_features_pitching',
        pitching.player_id,
        pitching.as_of_date,
        null,
        coalesce(
            {%- for window in ["last3", "last5", "season"] %}
            least(
                pitching.era_{{ window }}, pitching.whip_{{ window }}, pitching.strikeouts_per9_{{ window }},
                pitching.walks_per9_{{ window }}
            ) < 0
            {{- " or" if not loop.last }}
            {%- endfor %}
            or pitching.days_since_last_appearance < 1,
            false
        )
    from curated.mlb_features_pitching as pitching
    inner join scope on pitching.season = scope.season and pitching.as_of_date >= scope.from_date
    union all
    select
        'mlb_features_fantasy',
        fantasy.player_id,
        fantasy.as_of_date,
        fantasy.scoring_system,
        coalesce(
            {%- for window in windows %}
            fantasy.points_stddev_{{ window }} < 0{{ " or" if not loop.last }}
            {%- endfor %},
            false
        )
    from curated.mlb_features_fantasy as fantasy
    inner join scope on fantasy.season = scope.season and fantasy.as_of_date >= scope.from_date
),

{{ feature_check_result() }}
