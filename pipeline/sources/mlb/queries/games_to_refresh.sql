-- purpose:   the games of a window whose box score an incremental or lookback run fetches,
--            with the validators of the version already landed (for a conditional GET).
--            incremental: games with no box score yet, not final yet (live), or whose
--            schedule entry changed after their box score was landed; lookback: every
--            game that has started, whatever its status
-- grain:     one row per game
-- keys:      game_pk
-- partition: official_date
-- sources:   staging.mlb_games, raw.mlb_boxscore
with games as (
    select
        game_pk,
        official_date,
        abstract_state,
        updated_at
    from staging.mlb_games
    where
        official_date between %(start_date)s and %(end_date)s
        and abstract_state in ('Live', 'Final')
        and coalesce(coded_game_state, '') not in ('D', 'C')
        and detailed_state not in ('Postponed', 'Cancelled')
),

landed as (
    select distinct on (request_key)
        (request_params ->> 'gamePk')::bigint as game_pk,
        last_seen_at,
        etag,
        last_modified
    from raw.mlb_boxscore
    where partition_date between %(start_date)s and %(end_date)s
    order by request_key asc, last_seen_at desc, raw_id desc
)

select
    games.game_pk,
    games.official_date,
    landed.etag,
    landed.last_modified
from games
left join landed on games.game_pk = landed.game_pk
where
    %(mode)s = 'lookback'  -- constant only to the lint (a literal for the bound mode) -- noqa: ST10
    or landed.game_pk is null
    or games.abstract_state <> 'Final'
    or games.updated_at > landed.last_seen_at
order by games.official_date, games.game_pk
