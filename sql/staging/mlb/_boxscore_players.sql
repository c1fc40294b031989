{#- Import CTEs shared by the box-score staging files: every rostered player of every
    box score landed for the partition date, with the game and side they played for.
    A direct /boxscore response carries no gamePk: it comes from the request.
    `in_select_list`: list each side's players with a set-returning function in the
    select list rather than a second lateral join. For staging/mlb/players the planner
    memoized that join on the side's whole document, caching every player's JSON for no
    hit (a day's players: 11.5 -> 6 ms); the line files plan it well as a join (and
    0.7 ms slower the other way). -#}
{%- from "staging/mlb/_latest_raw.sql" import latest_raw -%}
{%- macro boxscore_players(in_select_list=false) -%}
latest_boxscores as (
    {{ latest_raw("mlb_boxscore") }}
),

boxscore_players as (
    select
        latest_boxscores.raw_id,
        (latest_boxscores.request_params ->> 'gamePk')::bigint as game_pk,
        (side.value -> 'team' ->> 'id')::integer as team_id,
        {%- if in_select_list %}
        jsonb_path_query(side.value -> 'players', '$.*') as player
    from latest_boxscores
    cross join lateral jsonb_each(latest_boxscores.payload -> 'teams') as side
        {%- else %}
        player.value as player
    from latest_boxscores
    cross join lateral jsonb_each(latest_boxscores.payload -> 'teams') as side
    cross join lateral jsonb_each(side.value -> 'players') as player
        {%- endif %}
    where side.key in ('away', 'home')
)
{%- endmacro -%}
