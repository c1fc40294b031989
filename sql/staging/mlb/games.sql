-- purpose:   the games of one schedule date, typed, with status and score
-- grain:     one row per game; when a game shows on several schedule dates (postponed
--            then made up, suspended then completed) one rule picks its entry whatever
--            order the dates run in: an entry that is not "Postponed" (codedGameState D)
--            over a postponed one, then the latest listing (schedule date), then the latest
--            game time; listed_on keeps the schedule date the row comes from
-- keys:      game_pk
-- partition: partition_date (the schedule date requested)
-- sources:   raw.mlb_schedule
-- note:      insert .. on conflict rather than merge: a postponed game is written by two
--            date partitions, which may run at the same time
{%- from "staging/mlb/_latest_raw.sql" import latest_raw %}
{%- from "_macros.sql" import changed %}
{%- set columns = [
    "season", "official_date", "game_date", "game_type", "double_header", "game_number",
    "detailed_state", "abstract_state", "coded_game_state", "status_code",
    "away_team_id", "home_team_id", "away_score", "home_score", "away_is_winner",
    "home_is_winner", "is_tie", "venue_id", "venue_name", "day_night",
    "scheduled_innings", "games_in_series", "series_game_number", "reschedule_date",
    "rescheduled_from_date", "listed_on",
] %}
{#- True when the entry `new` of a game replaces the row `held` already staged: the rule
    `final` picks by, against what another date's listing wrote, and a change. -#}
{%- macro replaces(new, held) -%}
(
            {{ new }}.coded_game_state is distinct from 'D', {{ new }}.listed_on,
            coalesce({{ new }}.game_date, '-infinity')
        )
        >= (
            {{ held }}.coded_game_state is distinct from 'D', coalesce({{ held }}.listed_on, '-infinity'),
            coalesce({{ held }}.game_date, '-infinity')
        )
        and {{ changed(columns, held, new) }}
{%- endmacro %}
with latest_schedule as (
    {{ latest_raw("mlb_schedule") }}
),

scheduled_games as (
    select
        latest_schedule.raw_id,
        -- the date the schedule lists the game under (a window's payload lists many)
        coalesce((schedule_date ->> 'date')::date, %(partition_date)s::date) as listed_on,
        game
    from latest_schedule
    cross join lateral jsonb_array_elements(latest_schedule.payload -> 'dates') as schedule_date
    cross join lateral jsonb_array_elements(schedule_date -> 'games') as game
),

typed_games as (
    select
        (game ->> 'gamePk')::bigint as game_pk,
        (game ->> 'season')::integer as season,
        (game ->> 'officialDate')::date as official_date,
        (game ->> 'gameDate')::timestamptz as game_date,
        game ->> 'gameType' as game_type,
        game ->> 'doubleHeader' as double_header,
        (game ->> 'gameNumber')::integer as game_number,
        game -> 'status' ->> 'detailedState' as detailed_state,
        game -> 'status' ->> 'abstractGameState' as abstract_state,
        game -> 'status' ->> 'codedGameState' as coded_game_state,
        game -> 'status' ->> 'statusCode' as status_code,
        (game -> 'teams' -> 'away' -> 'team' ->> 'id')::integer as away_team_id,
        (game -> 'teams' -> 'home' -> 'team' ->> 'id')::integer as home_team_id,
        (game -> 'teams' -> 'away' ->> 'score')::integer as away_score,
        (game -> 'teams' -> 'home' ->> 'score')::integer as home_score,
        (game -> 'teams' -> 'away' ->> 'isWinner')::boolean as away_is_winner,
        (game -> 'teams' -> 'home' ->> 'isWinner')::boolean as home_is_winner,
        (game ->> 'isTie')::boolean as is_tie,
        (game -> 'venue' ->> 'id')::integer as venue_id,
        game -> 'venue' ->> 'name' as venue_name,
        game ->> 'dayNight' as day_night,
        (game ->> 'scheduledInnings')::integer as scheduled_innings,
        (game ->> 'gamesInSeries')::integer as games_in_series,
        (game ->> 'seriesGameNumber')::integer as series_game_number,
        coalesce(
            (game ->> 'rescheduleGameDate')::date, left(game ->> 'rescheduleDate', 10)::date
        ) as reschedule_date,
        coalesce(
            (game ->> 'rescheduledFromDate')::date, left(game ->> 'rescheduledFrom', 10)::date
        ) as rescheduled_from_date,
        listed_on,
        raw_id
    from scheduled_games
),

final as (
    select distinct on (game_pk) *
    from typed_games
    order by
        game_pk asc, coded_game_state is distinct from 'D' desc, listed_on desc, game_date desc nulls last,
        raw_id desc
),

-- the rows already staged for these games, looked up by key (a join on the whole table
-- read every season's games for each date)
held as (
    select *
    from staging.mlb_games
    where game_pk = any(array(select final.game_pk from final))
),

-- only the rows the upsert would write, found without locking (`on conflict do update`
-- locks every row it meets until the transaction commits, written or not)
changes as (
    select final.*
    from final
    left join held on final.game_pk = held.game_pk
    where
        held.game_pk is null
        or {{ replaces("final", "held") }}
)

insert into staging.mlb_games as target (game_pk, {{ columns | join(", ") }}, raw_id)
select
    game_pk,
    {{ columns | join(", ") }},
    raw_id
from changes
order by game_pk
on conflict (game_pk) do update set
    {%- for column in columns %}
    {{ column }} = excluded.{{ column }},
    {%- endfor %}
    raw_id = excluded.raw_id,
    updated_at = now()
where
    -- checked again against the row as locked: another date's listing may have written it since
    {{ replaces("excluded", "target") }}
