-- purpose:   every player line's game, team and player exist: the game in staging.mlb_games,
--            the team as one of that game's two clubs, the player in staging.mlb_players
-- grain:     one row per partition (the rows checked are the player lines of the date)
-- keys:      failing keys: table, game_pk, player_id, team_id
-- partition: official_date = partition_date
-- sources:   staging.mlb_player_batting, staging.mlb_player_pitching, staging.mlb_games,
--            staging.mlb_players
-- severity:  error
-- threshold: 0 (lines with a dangling reference)
with lines as (
    select
        'mlb_player_batting' as table_name,
        game_pk,
        player_id,
        team_id
    from staging.mlb_player_batting
    where official_date = %(partition_date)s
    union all
    select
        'mlb_player_pitching' as table_name,
        game_pk,
        player_id,
        team_id
    from staging.mlb_player_pitching
    where official_date = %(partition_date)s
),

-- the games and players these lines name, looked up by key: the check reads its date's
-- games, not every season's (a join on the whole table grew with the seasons held)
line_games as (
    select
        game_pk,
        away_team_id,
        home_team_id
    from staging.mlb_games
    where game_pk = any(array(select distinct lines.game_pk from lines))
),

line_players as (
    select player_id
    from staging.mlb_players
    where player_id = any(array(select distinct lines.player_id from lines))
),

checked as (
    select
        jsonb_build_object('table', lines.table_name, 'game_pk', lines.game_pk,
            'player_id', lines.player_id, 'team_id', lines.team_id) as row_key,
        games.game_pk is null as is_game_missing,
        (
            games.game_pk is not null
            and lines.team_id is distinct from games.away_team_id
            and lines.team_id is distinct from games.home_team_id
        ) as is_team_missing,
        players.player_id is null as is_player_missing
    from lines
    left join line_games as games on lines.game_pk = games.game_pk
    left join line_players as players on lines.player_id = players.player_id
)

select
    count(*) as rows_checked,
    count(*) filter (where is_game_missing or is_team_missing or is_player_missing) as rows_failing,
    count(*) filter (where is_game_missing or is_team_missing or is_player_missing) as metric_value,
    coalesce(
        jsonb_agg(row_key order by row_key::text)
            filter (where is_game_missing or is_team_missing or is_player_missing),
        '[]'
    ) as failing_keys,
    jsonb_build_object(
        'missing_game', count(*) filter (where is_game_missing),
        'team_not_in_game', count(*) filter (where is_team_missing),
        'missing_player', count(*) filter (where is_player_missing)
    ) as details
from checked
