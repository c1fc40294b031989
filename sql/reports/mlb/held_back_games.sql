-- purpose:   the games a failed error quality check holds back from curated, with the
--            checks that failed and each game's matchup (none when every game passed)
-- grain:     one row per held-back game
-- keys:      game_pk
-- partition: none
-- sources:   ops.quality_blocked_games, staging.mlb_games
with blocked as (
    select
        partition_key,
        game_pk,
        failing_checks
    from ops.quality_blocked_games
    where source = 'mlb'
),

final as (
    select
        blocked.partition_key as official_date,
        blocked.game_pk,
        games.away_team_id,
        games.home_team_id,
        array_to_string(blocked.failing_checks, ', ') as failing_checks
    from blocked
    left join staging.mlb_games as games on blocked.game_pk = games.game_pk
)

select *
from final
order by official_date, game_pk
