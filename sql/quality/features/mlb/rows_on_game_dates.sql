-- purpose:   no feature row for a date on which its club has no game (a regular-season
--            game that is not postponed or cancelled)
-- grain:     one row per run (the rows checked are the feature rows it recomputed)
-- keys:      failing keys: table, team_id, as_of_date
-- partition: season, as_of_date (from each touched season's earliest touched date)
-- sources:   curated.mlb_features_batting, curated.mlb_features_pitching,
--            curated.mlb_features_fantasy, curated.mlb_features_context, staging.mlb_games
-- severity:  warn
-- threshold: 0 (feature rows without a game of their club that day)
{%- from "curated/mlb/_feature_macros.sql" import feature_scope, team_dates %}
with {{ feature_scope() }},

{{ team_dates() }},

feature_rows as (
    {%- for table in ["batting", "pitching", "fantasy", "context"] %}
    select
        'mlb_features_{{ table }}' as table_name,
        features.team_id,
        features.as_of_date
    from curated.mlb_features_{{ table }} as features
    inner join scope on features.season = scope.season and features.as_of_date >= scope.from_date
    {{- "\n    union all" if not loop.last }}
    {%- endfor %}
),

checked as (
    select
        jsonb_build_object('table', feature_rows.table_name, 'team_id', feature_rows.team_id,
            'as_of_date', feature_rows.as_of_date) as row_key,
        team_dates.team_id is null as is_failing
    from feature_rows
    left join team_dates
        on feature_rows.team_id = team_dates.team_id and feature_rows.as_of_date = team_dates.official_date
)

select
    count(*) as rows_checked,
    count(*) filter (where is_failing) as rows_failing,
    count(*) filter (where is_failing) as metric_value,
    coalesce(jsonb_agg(distinct row_key) filter (where is_failing), '[]') as failing_keys,
    '{}'::jsonb as details
from checked
