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
{%- from "_feature_macros.sql" import feature_scope %}
with {{ feature_scope() }},

checked as (
    select
        jsonb_build_object('table', 'mlb_features_batting', 'player_id', batting.player_id,
            'as_of_date', batting.as_of_date) as row_key,
        not (
            games_7d <= 14 and games_14d <= 28 and games_30d <= 60
            and games_7d <= games_14d and games_14d <= games_30d and games_30d <= games_season
            and plate_appearances_7d <= plate_appearances_14d
            and plate_appearances_14d <= plate_appearances_30d
            and plate_appearances_30d <= plate_appearances_season
        ) as is_failing
    from curated.mlb_features_batting as batting
    inner join scope on batting.season = scope.season and batting.as_of_date >= scope.from_date
    union all
    select
        jsonb_build_object('table', 'mlb_features_pitching', 'player_id', pitching.player_id,
            'as_of_date', pitching.as_of_date),
        not (
            appearances_last3 between 1 and 3 and appearances_last5 between 1 and 5
            and appearances_last3 <= appearances_last5 and appearances_last5 <= appearances_season
            and outs_last3 <= outs_last5 and outs_last5 <= outs_season
        )
    from curated.mlb_features_pitching as pitching
    inner join scope on pitching.season = scope.season and pitching.as_of_date >= scope.from_date
    union all
    select
        jsonb_build_object('table', 'mlb_features_fantasy', 'player_id', fantasy.player_id,
            'as_of_date', fantasy.as_of_date, 'scoring_system', fantasy.scoring_system),
        not (
            games_7d <= 14 and games_14d <= 28 and games_30d <= 60
            and games_7d <= games_14d and games_14d <= games_30d and games_30d <= games_season
        )
    from curated.mlb_features_fantasy as fantasy
    inner join scope on fantasy.season = scope.season and fantasy.as_of_date >= scope.from_date
)

select
    count(*) as rows_checked,
    count(*) filter (where is_failing) as rows_failing,
    count(*) filter (where is_failing) as metric_value,
    coalesce(jsonb_agg(row_key order by row_key::text) filter (where is_failing), '[]') as failing_keys,
    '{}'::jsonb as details
from checked
