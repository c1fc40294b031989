-- purpose:   each pitcher's line in each game (players with a non-empty pitching dict)
-- grain:     one row per game and player who pitched
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
    "games_started": "gamesStarted",
    "outs": "outs",
    "hits": "hits",
    "runs": "runs",
    "earned_runs": "earnedRuns",
    "base_on_balls": "baseOnBalls",
    "intentional_walks": "intentionalWalks",
    "strike_outs": "strikeOuts",
    "home_runs": "homeRuns",
    "hit_batsmen": "hitBatsmen",
    "batters_faced": "battersFaced",
    "pitches": "numberOfPitches",
    "strikes": "strikes",
    "balls": "balls",
    "wins": "wins",
    "losses": "losses",
    "saves": "saves",
    "save_opportunities": "saveOpportunities",
    "holds": "holds",
    "blown_saves": "blownSaves",
    "complete_games": "completeGames",
    "shutouts": "shutouts",
    "wild_pitches": "wildPitches",
    "balks": "balks",
    "inherited_runners": "inheritedRunners",
    "inherited_runners_scored": "inheritedRunnersScored",
} %}
{%- set columns = ["team_id", "official_date", "season", "innings_pitched"] + (stats | list) %}
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

pitching_lines as (
    select
        boxscore_players.raw_id,
        boxscore_players.game_pk,
        boxscore_players.team_id,
        boxscore_players.player,
        boxscore_players.player -> 'stats' -> 'pitching' as pitching
    from boxscore_players
    where boxscore_players.player -> 'stats' -> 'pitching' <> '{}'::jsonb
),

-- materialized: the typed lines are what the merge joins on and carries, not each
-- player's JSON (a hash of those spilled to disk and cost 10x the rest)
final as materialized (
    select
        pitching_lines.game_pk,
        (pitching_lines.player -> 'person' ->> 'id')::integer as player_id,
        pitching_lines.team_id,
        games.official_date,
        games.season,
        pitching_lines.pitching ->> 'inningsPitched' as innings_pitched,
        {%- for column, field in stats.items() %}
        coalesce((pitching_lines.pitching ->> '{{ field }}')::integer, 0) as {{ column }},
        {%- endfor %}
        pitching_lines.raw_id
    from pitching_lines
    inner join games on pitching_lines.game_pk = games.game_pk
)

-- (no `with` before `merge` in the postgres grammar of the linter:)
-- sqlfluff:ignore:parsing
merge into staging.mlb_player_pitching as target
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
