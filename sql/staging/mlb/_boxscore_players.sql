{#- Import CTEs shared by the box-score staging files: every rostered player of every
    box score landed for the partition date, with the game and side they played for.
    A direct /boxscore response carries no gamePk: it comes from the request. -#}
{%- from "staging/mlb/_latest_raw.sql" import latest_raw -%}
{%- macro boxscore_players() -%}
latest_boxscores as (
    {{ latest_raw("mlb_boxscore") }}
),

boxscore_players as (
    select
        latest_boxscores.raw_id,
        (latest_boxscores.request_params ->> 'gamePk')::bigint as game_pk,
        (side.value -> 'team' ->> 'id')::integer as team_id,
        player.value as player
    from latest_boxscores
    cross join lateral jsonb_each(latest_boxscores.payload -> 'teams') as side
    cross join lateral jsonb_each(side.value -> 'players') as player
    where side.key in ('away', 'home')
)
{%- endmacro -%}
