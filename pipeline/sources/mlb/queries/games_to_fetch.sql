-- purpose:   the games of a schedule date whose box score a backfill must fetch: final
--            games that were played (not postponed or cancelled), unless one is already
--            landed and refetch is false
-- grain:     one row per game
-- keys:      game_pk
-- partition: official_date
-- sources:   staging.mlb_games, raw.mlb_boxscore
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
)

select games.game_pk
from games
where %(refetch)s or games.game_pk not in (select landed.game_pk from landed)
order by games.game_pk
