-- purpose:   the games of a schedule date whose box score a backfill must fetch: final
--            games that were played (not postponed or cancelled), unless one is already
--            landed and refetch is false; a box score whose request has an open dead
--            letter (failed, or its latest answer quarantined) is fetched again whatever
--            older versions exist, and so is every game a failed error-severity check
--            holds back (every box score of the date when the check names no game): a
--            corrected answer lifts the block
-- grain:     one row per game
-- keys:      game_pk
-- partition: official_date
-- sources:   staging.mlb_games, raw.mlb_boxscore, ops.dead_letters, ops.quality_blocked_partitions,
--            ops.quality_blocked_games
with games as (
    select game_pk
    from staging.mlb_games
    where
        official_date = %(partition_date)s
        and abstract_state = 'Final'
        and coded_game_state not in ('D', 'C')
        and detailed_state not in ('Postponed', 'Cancelled')
),

landed as (
    select distinct (request_params ->> 'gamePk')::bigint as game_pk
    from raw.mlb_boxscore
    where partition_date = %(partition_date)s
),

lettered as (
    select (request_params ->> 'gamePk')::bigint as game_pk
    from ops.dead_letters
    where
        source = 'mlb'
        and endpoint = 'boxscore'
        and partition_key = %(partition_date)s
        and resolved_at is null
),

blocked as (
    select exists(
        select 1 from ops.quality_blocked_partitions
        where source = 'mlb' and partition_key = %(partition_date)s
    ) as is_blocked
),

held_back as (
    select game_pk
    from ops.quality_blocked_games
    where source = 'mlb' and partition_key = %(partition_date)s
)

select games.game_pk
from games
cross join blocked
where
    %(refetch)s
    or blocked.is_blocked
    or games.game_pk not in (select landed.game_pk from landed)
    or games.game_pk in (select lettered.game_pk from lettered)
    or games.game_pk in (select held_back.game_pk from held_back)
order by games.game_pk
