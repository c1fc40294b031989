-- purpose:   each player's batting line in each game (players who batted only: the API
--            lists pitchers among the batters with an empty batting dict)
-- grain:     one row per game and player who batted
-- keys:      game_pk, player_id (the primary key adds official_date, the partition key)
-- partition: partition_date (of the box scores read) = official_date of the games, the
--            column staging is range-partitioned on
-- sources:   raw.mlb_boxscore, staging.mlb_games
-- depends:   staging.mlb_players (foreign key)
-- statistics: game_pk, player_id, team_id, official_date, season (the columns curated files
--            join, filter and group lines by: after a bulk load only these are analyzed)
{%- from "staging/mlb/_boxscore_players.sql" import boxscore_players %}
{%- from "_macros.sql" import changed %}
{%- set stats = {
    "games_played": "gamesPlayed",
    "plate_appearances": "plateAppearances",
    "at_bats": "atBats",
    "runs": "runs",
    "hits": "hits",
    "doubles": "doubles",
    "triples": "triples",
    "home_runs": "homeRuns",
    "rbi": "rbi",
    "base_on_balls": "baseOnBalls",
    "intentional_walks": "intentionalWalks",
    "strike_outs": "strikeOuts",
    "stolen_bases": "stolenBases",
    "caught_stealing": "caughtStealing",
    "hit_by_pitch": "hitByPitch",
    "sac_flies": "sacFlies",
    "sac_bunts": "sacBunts",
    "total_bases": "totalBases",
    "left_on_base": "leftOnBase",
    "ground_into_double_play": "groundIntoDoublePlay",
    "fly_outs": "flyOuts",
    "ground_outs": "groundOuts",
} %}
{%- set columns = ["team_id", "official_date", "season", "batting_order", "position_abbreviation"] + (stats | list) %}
with {{ boxscore_players() }},

games as (
    select
        game_pk,
        official_date,
        season
    from staging.mlb_games
    -- a box score landed for a date is a game played that date: one staging partition
    where official_date = %(partition_date)s
),

batting_lines as (
    select
        boxscore_players.raw_id,
        boxscore_players.game_pk,
        boxscore_players.team_id,
        boxscore_players.player,
        boxscore_players.player -> 'stats' -> 'batting' as batting
    from boxscore_players
    where boxscore_players.player -> 'stats' -> 'batting' <> '{}'::jsonb
),

-- materialized: the typed lines are what the merge joins on and carries, not each
-- player's JSON (a hash of those spilled to disk and cost 10x the rest)
final as materialized (
    select
        batting_lines.game_pk,
        (batting_lines.player -> 'person' ->> 'id')::integer as player_id,
        batting_lines.team_id,
        games.official_date,
        games.season,
        nullif(batting_lines.player ->> 'battingOrder', '')::integer as batting_order,
        batting_lines.player -> 'position' ->> 'abbreviation' as position_abbreviation,
        {%- for column, field in stats.items() %}
        (batting_lines.batting ->> '{{ field }}')::integer as {{ column }},
        {%- endfor %}
        batting_lines.raw_id
    from batting_lines
    inner join games on batting_lines.game_pk = games.game_pk
)

-- (no `with` before `merge` in the postgres grammar of the linter:)
-- sqlfluff:ignore:parsing
merge into staging.mlb_player_batting as target
using final as source
    on
        -- the date as a value, not only through `final` (materialized): one partition of
        -- the target is planned, not all of them
        target.official_date = %(partition_date)s::date
        and target.official_date = source.official_date
        and target.game_pk = source.game_pk
        and target.player_id = source.player_id
when matched and {{ changed(columns, "target", "source") }} then
    update set
        {%- for column in columns %}
        {{ column }} = source.{{ column }},
        {%- endfor %}
        raw_id = source.raw_id,
        updated_at = now()
when not matched then
    insert (game_pk, player_id, {{ columns | join(", ") }}, raw_id)
    values (
        source.game_pk,
        source.player_id,
        {%- for column in columns %}
        source.{{ column }},
        {%- endfor %}
        source.raw_id
    )
