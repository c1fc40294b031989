-- purpose:   every player seen on a box-score roster, with name and position
-- grain:     one row per player
-- keys:      player_id
-- partition: partition_date (of the box scores read)
-- sources:   raw.mlb_boxscore
-- note:      insert .. on conflict rather than merge: date partitions transformed at the
--            same time meet the same players; rows go in player_id order so concurrent
--            writers lock them in the same order. The latest game wins whatever the
--            order partitions are transformed in (last_game_date, last_game_pk).
{%- from "staging/mlb/_boxscore_players.sql" import boxscore_players %}
{%- from "_macros.sql" import changed %}
{%- set columns = [
    "full_name", "boxscore_name", "primary_position_code",
    "primary_position_abbreviation", "last_team_id", "last_game_date", "last_game_pk",
] %}
{#- True when the row `new` replaces the player row `held`: a game at least as late, and
    a change. -#}
{%- macro replaces(new, held) -%}
({{ new }}.last_game_date, {{ new }}.last_game_pk) >= ({{ held }}.last_game_date, {{ held }}.last_game_pk)
        and {{ changed(columns, held, new) }}
{%- endmacro %}
with {{ boxscore_players(in_select_list=true) }},

final as (
    select distinct on (player_id)
        (player -> 'person' ->> 'id')::integer as player_id,
        player -> 'person' ->> 'fullName' as full_name,
        player -> 'person' ->> 'boxscoreName' as boxscore_name,
        player -> 'position' ->> 'code' as primary_position_code,
        player -> 'position' ->> 'abbreviation' as primary_position_abbreviation,
        team_id as last_team_id,
        %(partition_date)s::date as last_game_date,
        game_pk as last_game_pk,
        raw_id
    from boxscore_players
    order by player_id asc, game_pk desc
),

-- only the rows the upsert would write, found without locking: `on conflict do update`
-- locks every row it meets, written or not, until the transform commits, so date
-- partitions transformed at the same time queued on players no one changed (a restage)
changes as (
    select final.*
    from final
    left join staging.mlb_players as held on final.player_id = held.player_id
    where
        held.player_id is null
        or {{ replaces("final", "held") }}
)

insert into staging.mlb_players as target (player_id, {{ columns | join(", ") }}, raw_id)
select
    player_id,
    {{ columns | join(", ") }},
    raw_id
from changes
order by player_id
on conflict (player_id) do update set
    {%- for column in columns %}
    {{ column }} = excluded.{{ column }},
    {%- endfor %}
    raw_id = excluded.raw_id,
    updated_at = now()
where
    -- checked again against the row as locked: another date may have written it since
    {{ replaces("excluded", "target") }}
