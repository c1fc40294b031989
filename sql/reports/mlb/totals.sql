-- purpose:   what the MLB tables hold: games, player lines, seasons, dates
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   staging.mlb_games, staging.mlb_player_batting, staging.mlb_player_pitching, staging.mlb_players
select
    (select count(*) from staging.mlb_games) as games,
    (select count(*) from staging.mlb_games where abstract_state = 'Final' and coded_game_state not in ('D', 'C')) as final_games,
    (select count(*) from staging.mlb_player_batting) as batting_lines,
    (select count(*) from staging.mlb_player_pitching) as pitching_lines,
    (select count(*) from staging.mlb_players) as players,
    -- played games only: a postponed game's officialDate is already its make-up date
    (select min(official_date) from staging.mlb_player_batting) as first_date,
    (select max(official_date) from staging.mlb_player_batting) as last_date
