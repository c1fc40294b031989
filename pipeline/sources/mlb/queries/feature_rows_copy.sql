-- purpose:   stream the features as of each date of a range, from Postgres (COPY ... TO
--            STDOUT): one row per player whose club has a game on the date and scoring
--            system; with `labels`, one row per player-game instead, the label being that
--            game's fantasy points (the features are as of the game's date: they read only
--            games before it, never the game itself)
-- grain:     one row per as-of date, player and scoring system (with labels: and game)
-- keys:      as_of_date, player_id, scoring_system (with labels: and game_pk)
-- partition: as_of_date between start_date and end_date
-- sources:   curated.mlb_features_fantasy, curated.mlb_features_batting,
--            curated.mlb_features_pitching, curated.mlb_features_context,
--            curated.mlb_fantasy_points_game
-- params:    feature_columns = context.is_home batting.ops_7d pitching.era_last3 fantasy.games_7d
-- note:      the feature columns come from the tables (structure: `feature_columns`,
--            "set.column" names); the versions are bound values
{#- rendered without structure (`pipeline sql render`, the tests): no feature column, csv -#}
{%- set feature_columns = feature_columns | default([]) %}
{#- a list from the code; the `params:` header's example is one string (the SQL linter) -#}
{%- set columns = feature_columns.split(" ") if feature_columns is string else feature_columns %}
{%- set labels = labels | default(false) %}
{%- set format = format | default("csv") %}
copy (
    {%- if format == "jsonl" %}
    select row_to_json(feature_rows)
    from (
    {%- endif %}
    select
        fantasy.as_of_date,
        fantasy.player_id,
        fantasy.team_id,
        fantasy.scoring_system
        {%- if labels %},
        labels.game_pk,
        labels.total_points as label_points
        {%- endif %}
        {%- for qualified in columns %}
        {%- set set_name, column = qualified.split(".") %},
        {{ set_name | ident }}.{{ column | ident }} as {{ set_name | ident }}_{{ column | ident }}
        {%- endfor %}
    from curated.mlb_features_fantasy as fantasy
    {%- if labels %}
    inner join curated.mlb_fantasy_points_game as labels
        on
            fantasy.scoring_system = labels.scoring_system
            and fantasy.player_id = labels.player_id
            and fantasy.as_of_date = labels.official_date
    {%- endif %}
    left join curated.mlb_features_context as context
        on
            context.feature_set_version = %(context_version)s
            and fantasy.team_id = context.team_id
            and fantasy.as_of_date = context.as_of_date
    left join curated.mlb_features_batting as batting
        on
            batting.feature_set_version = %(batting_version)s
            and fantasy.player_id = batting.player_id
            and fantasy.as_of_date = batting.as_of_date
    left join curated.mlb_features_pitching as pitching
        on
            pitching.feature_set_version = %(pitching_version)s
            and fantasy.player_id = pitching.player_id
            and fantasy.as_of_date = pitching.as_of_date
    where
        fantasy.feature_set_version = %(fantasy_version)s
        and fantasy.as_of_date between %(start_date)s and %(end_date)s
        and (%(scoring_system)s::text is null or fantasy.scoring_system = %(scoring_system)s::text)
    order by
        fantasy.as_of_date,
        fantasy.player_id,
        fantasy.scoring_system{{ ", labels.game_pk" if labels }}
    {%- if format == "jsonl" %}
    ) as feature_rows
    {%- endif %}
) to stdout with (
    {%- if format == "jsonl" %}
    -- one JSON document per line, as Postgres writes it: no quoting, no escaping
    format csv, quote e'\x01', delimiter e'\x02'
    {%- else %}
    format csv, header true
    {%- endif %}
)
