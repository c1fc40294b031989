-- purpose:   no window holds more than its size: at most 3 and 5 appearances in the last
--            3 and 5, at most two games a day in a 7, 14 or 30-day window, and each window
--            no longer than the next wider one (7d <= 14d <= 30d <= season)
-- grain:     one row per run (the rows checked are the feature rows it recomputed)
-- keys:      failing keys: table, player_id, as_of_date
-- partition: season, as_of_date (from each touched season's earliest touched date)
-- sources:   curated.mlb_features_batting, curated.mlb_features_pitching,
--            curated.mlb_features_fantasy
-- severity:  warn
-- threshold: 0 (rows with a window longer than its size)
{%- from "curated/mlb/_feature_macros.sql" import feature_check_result, feature_scope %}
with {{ feature_scope() }},

checked as (
    select
        'mlb_features_batting' as table_name,
        batting.player_id,
        batting.as_of_date,
        null::text as scoring_system,
        (
            batting.games_7d <= 14 and batting.games_14d <= 28 and batting.games_30d <= 60
            and batting.games_7d <= batting.games_14d and batting.games_14d <= batting.games_30d
            and batting.games_30d <= batting.games_season
            and batting.plate_appearances_7d <= batting.plate_appearances_14d
            and batting.plate_appearances_14d <= batting.plate_appearances_30d
            and batting.plate_appearances_30d <= batting.plate_appearances_season
        ) is not true as is_failing
    from curated.mlb_features_batting as batting
    inner join scope on batting.season = scope.season and batting.as_of_date >= scope.from_date
    union all
    select
        'mlb_features_pitching',
        pitching.player_id,
        pitching.as_of_date,
        null,
        (
            pitching.appearances_last3 between 1 and 3 and pitching.appearances_last5 between 1 and 5
            and pitching.appearances_last3 <= pitching.appearances_last5
            and pitching.appearances_last5 <= pitching.appearances_season
            and pitching.outs_last3 <= pitching.outs_last5 and pitching.outs_last5 <= pitching.outs_season
        ) is not true
    from curated.mlb_features_pitching as pitching
    inner join scope on pitching.season = scope.season and pitching.as_of_date >= scope.from_date
    union all
    select
        'mlb_features_fantasy',
        fantasy.player_id,
        fantasy.as_of_date,
        fantasy.scoring_system,
        (
            fantasy.games_7d <= 14 and fantasy.games_14d <= 28 and fantasy.games_30d <= 60
            and fantasy.games_7d <= fantasy.games_14d and fantasy.games_14d <= fantasy.games_30d
            and fantasy.games_30d <= fantasy.games_season
        ) is not true
    from curated.mlb_features_fantasy as fantasy
    inner join scope on fantasy.season = scope.season and fantasy.as_of_date >= scope.from_date
),

{{ feature_check_result() }}
