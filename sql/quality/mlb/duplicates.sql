-- purpose:   duplicates on natural keys: one matchup listed twice on a date under two
--            game_pks (same clubs, same game number), or a player with lines in two games
--            of one date that are not a doubleheader
-- grain:     one row per partition (the rows checked are games and player-dates)
-- keys:      failing keys: game_pks, player_id
-- partition: official_date = partition_date
-- sources:   staging.mlb_games, staging.mlb_player_batting, staging.mlb_player_pitching
-- severity:  error
-- threshold: 0 (duplicated natural keys)
with games as (
    select
        game_pk,
        away_team_id,
        home_team_id,
        game_number,
        double_header
    from staging.mlb_games
    where official_date = %(partition_date)s and coded_game_state not in ('D', 'C')
),

matchups as (
    select
        jsonb_build_object('table', 'mlb_games', 'game_pks', jsonb_agg(game_pk order by game_pk)) as row_key,
        count(*) > 1 as is_failing
    from games
    group by away_team_id, home_team_id, coalesce(game_number, 1)
),

player_games as (
    select
        player_id,
        game_pk
    from staging.mlb_player_batting
    where official_date = %(partition_date)s
    union
    select
        player_id,
        game_pk
    from staging.mlb_player_pitching
    where official_date = %(partition_date)s
),

player_dates as (
    select
        jsonb_build_object('table', 'player_lines', 'player_id', player_games.player_id,
            'game_pks', jsonb_agg(player_games.game_pk order by player_games.game_pk)) as row_key,
        count(*) > 1
        and not bool_and(coalesce(games.double_header, 'N') in ('Y', 'S')) as is_failing
    from player_games
    left join games on player_games.game_pk = games.game_pk
    group by player_games.player_id
),

checked as (
    select * from matchups
    union all
    select * from player_dates
)

select
    count(*) as rows_checked,
    count(*) filter (where is_failing) as rows_failing,
    count(*) filter (where is_failing) as metric_value,
    coalesce(jsonb_agg(row_key order by row_key::text) filter (where is_failing), '[]') as failing_keys,
    '{}'::jsonb as details
from checked
