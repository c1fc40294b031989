{#- Macros shared by the MLB feature files (sql/curated/mlb/features_*.sql) and their
    checks. The as-of rule lives here: a feature row as of date D reads only games with
    official_date < D (every window below ends one day before D). -#}
{%- from "_macros.sql" import passes_quality_gate, upsert_changed -%}

{#- `scope`: for each season a run touched, the earliest as-of date whose features can
    change: the earliest touched date. A date blocked by a failed error quality check (or
    holding a game the check holds back) counts as touched too (its lines leave the features; the run that blocked it does not
    list it among its dates). One row per season: season, from_date. -#}
{%- macro feature_scope() -%}
scope as (
    select
        extract(year from touched.touched_date)::integer as season,
        min(touched.touched_date) as from_date
    from (
        select unnest(%(dates)s::date[]) as touched_date
        union all
        select blocked.partition_key
        from ops.quality_blocked_partitions as blocked
        where
            blocked.source = 'mlb'
            and extract(year from blocked.partition_key)::integer = any(%(seasons)s::integer[])
        union all
        select blocked_game.partition_key
        from ops.quality_blocked_games as blocked_game
        where
            blocked_game.source = 'mlb'
            and extract(year from blocked_game.partition_key)::integer = any(%(seasons)s::integer[])
    ) as touched
    group by extract(year from touched.touched_date)::integer
)
{%- endmacro -%}

{#- True when game `game_pk` of `official_date` may enter curated: the quality gate holds
    back neither the game nor its date (`passes_quality_gate` of _macros.sql). Every feature file reads staging through it (lines
    and schedule alike), so a finer gate (per game) is one edit here. -#}
{%- macro passes_gate(game_pk, official_date) -%}
{{ passes_quality_gate('mlb', game_pk, official_date) }}
{%- endmacro -%}

{#- `team_dates`: the dates on which each club has a regular-season game that is not
    postponed or cancelled, in the seasons of `scope`: team_id, season, official_date,
    games_on_date, and the first game's opponent and home/away. -#}
{%- macro team_dates() -%}
team_games as (
    select
        games.season,
        games.official_date,
        sides.team_id,
        sides.opponent_team_id,
        sides.is_home,
        games.game_date,
        games.game_pk
    from staging.mlb_games as games
    inner join scope on games.season = scope.season
    cross join lateral (
        values
            (games.home_team_id, games.away_team_id, true),
            (games.away_team_id, games.home_team_id, false)
    ) as sides (team_id, opponent_team_id, is_home)
    where
        games.game_type = 'R'
        and coalesce(games.coded_game_state, '') not in ('D', 'C')
        and {{ passes_gate("games.game_pk", "games.official_date") }}
),

team_dates as (
    select
        team_id,
        season,
        official_date,
        count(*)::integer as games_on_date,
        (array_agg(opponent_team_id order by game_date, game_pk))[1] as opponent_team_id,
        (array_agg(is_home order by game_date, game_pk))[1] as is_home
    from team_games
    group by team_id, season, official_date
)
{%- endmacro -%}

{#- `<name>`: the (player, as-of date) rows a feature table holds: every date from the
    scope's from_date on on which the player's club has a game, the player's club being
    the one he played for in his latest game before that date (the same season). `days`
    is a CTE of one row per player and date played (`keys`, season, official_date,
    team_id). Built from stints (runs of consecutive days with one club), so the join
    is stints x club dates, not days x club dates. -#}
{%- macro player_spine(name, days, keys) -%}
{{ name }}_islands as (
    select
        {{ keys | join(", ") }},
        season,
        official_date,
        team_id,
        row_number() over (partition by {{ keys | join(", ") }}, season order by official_date)
        - row_number() over (partition by {{ keys | join(", ") }}, season, team_id order by official_date) as island
    from {{ days }}
),

{{ name }}_stints as materialized (
    select
        {{ keys | join(", ") }},
        season,
        team_id,
        min(official_date) as first_game_date,
        lead(min(official_date)) over (
            partition by {{ keys | join(", ") }}, season order by min(official_date)
        ) as next_stint_date
    from {{ name }}_islands
    group by {{ keys | join(", ") }}, season, team_id, island
),

{{ name }} as (
    select
        {%- for key in keys %}
        stints.{{ key }},
        {%- endfor %}
        stints.season,
        stints.team_id,
        team_dates.official_date as as_of_date
    from {{ name }}_stints as stints
    inner join scope on stints.season = scope.season
    inner join team_dates
        on
            stints.team_id = team_dates.team_id
            and stints.season = team_dates.season
            and team_dates.official_date > stints.first_game_date
            and (stints.next_stint_date is null or team_dates.official_date <= stints.next_stint_date)
    where
        team_dates.official_date >= scope.from_date
        and (stints.next_stint_date is null or stints.next_stint_date >= scope.from_date)
)
{%- endmacro -%}

{#- Upsert `final` (which holds feature_set_version) into a feature table keyed by
    `keys`, touching only changed rows, and delete this version's rows of the recomputed
    slice (season in scope, as_of_date >= from_date) that the recompute no longer
    produces. Rows of other versions are left alone. Ends with one row: rows_written. -#}
{%- macro refresh_features(table, keys, columns, version) -%}
{{ upsert_changed(table, keys, columns) }},

-- the stale keys by a set difference (hashed or sorted, never a nested loop over final,
-- whatever the planner estimates of it), then deleted by key
removed as (
    delete from {{ table }} as stale
    using (
        select {% for key in keys %}held.{{ key }}{{ ", " if not loop.last }}{% endfor %}
        from {{ table }} as held
        inner join scope on held.season = scope.season and held.as_of_date >= scope.from_date
        where held.feature_set_version = {{ version }}
        except
        select {{ keys | join(", ") }}
        from final
    ) as gone
    where
        {%- for key in keys %}
        stale.{{ key }} = gone.{{ key }}{{ " and" if not loop.last }}
        {%- endfor %}
    returning 1
)

select (select count(*) from upserted) + (select count(*) from removed) as rows_written
{%- endmacro -%}


{#- The end of a row check over the feature tables: `checked` holds one row per feature
    row (table_name, player_id, as_of_date, scoring_system or null, is_failing); the
    check's one result row, with the JSON key built for the failing rows only (a key per
    row checked cost more than the check itself). -#}
{%- macro feature_check_result() -%}
failing as (
    select
        jsonb_strip_nulls(jsonb_build_object(
            'table', table_name, 'player_id', player_id, 'as_of_date', as_of_date,
            'scoring_system', scoring_system
        )) as row_key
    from checked
    where is_failing
)

select
    count(*) as rows_checked,
    count(*) filter (where is_failing) as rows_failing,
    count(*) filter (where is_failing) as metric_value,
    coalesce((select jsonb_agg(failing.row_key order by failing.row_key::text) from failing), '[]') as failing_keys,
    '{}'::jsonb as details
from checked
{%- endmacro -%}
