-- Describes every staging and curated table and column with COMMENT ON (what `pipeline docs build` and `pipeline export dbt-sources` show). A column name shared by several tables has one description unless a table gives its own.
create temporary table column_notes (table_name text not null, column_name text not null, note text not null)
on commit drop;

insert into column_notes (table_name, column_name, note) values
    -- shared by several tables ('' = any table)
    ('', 'raw_id', 'the raw version (raw.<table>.raw_id) this row was last read from'),
    ('', 'updated_at', 'when this row last changed (an unchanged re-run does not touch it)'),
    ('', 'season', 'the season (year) the game or line belongs to'),
    ('', 'official_date', 'the official date of the game (US Eastern), the date partition'),
    ('', 'game_pk', 'MLB''s game id'),
    ('', 'player_id', 'MLB''s person id of the player'),
    ('', 'team_id', 'MLB''s team id of the club the player played for'),
    ('', 'scoring_system', 'the name of a fantasy scoring system (curated.fantasy_scoring)'),
    ('', 'games', 'games played in the row''s grain'),
    ('', 'games_played', 'games played'),
    ('', 'plate_appearances', 'plate appearances'),
    ('', 'at_bats', 'at-bats'),
    ('', 'runs', 'runs (scored by a batter, allowed by a pitcher)'),
    ('', 'hits', 'hits (by a batter, allowed by a pitcher)'),
    ('', 'doubles', 'doubles'),
    ('', 'triples', 'triples'),
    ('', 'home_runs', 'home runs (hit by a batter, allowed by a pitcher)'),
    ('', 'rbi', 'runs batted in'),
    ('', 'base_on_balls', 'walks (drawn by a batter, issued by a pitcher)'),
    ('', 'intentional_walks', 'intentional walks'),
    ('', 'strike_outs', 'strikeouts (of a batter, by a pitcher)'),
    ('', 'stolen_bases', 'stolen bases'),
    ('', 'caught_stealing', 'times caught stealing'),
    ('', 'hit_by_pitch', 'times hit by a pitch'),
    ('', 'sac_flies', 'sacrifice flies'),
    ('', 'total_bases', 'total bases (1 per single, 2 per double, 3 per triple, 4 per home run)'),
    ('', 'games_started', 'games started as pitcher'),
    ('', 'outs', 'outs recorded while pitching (3 per inning)'),
    ('', 'innings_pitched', 'innings pitched as MLB writes them (5.2 = five innings and two outs)'),
    ('', 'earned_runs', 'earned runs allowed'),
    ('', 'batters_faced', 'batters faced'),
    ('', 'pitches', 'pitches thrown'),
    ('', 'wins', 'wins'),
    ('', 'losses', 'losses'),
    ('', 'saves', 'saves'),
    ('', 'holds', 'holds'),
    ('', 'venue_id', 'MLB''s venue id'),
    ('', 'venue_name', 'the venue''s name'),
    ('', 'team_name', 'the club''s name without its location (Yankees)'),
    ('', 'league_id', 'MLB''s league id (103 American League, 104 National League)'),
    ('', 'division_id', 'MLB''s division id'),
    -- staging.mlb_teams
    ('mlb_teams', 'team_id', 'MLB''s team id'),
    ('mlb_teams', 'season', 'the season the /teams response is for'),
    ('mlb_teams', 'name', 'the club''s full name (New York Yankees)'),
    ('mlb_teams', 'abbreviation', 'the club''s abbreviation (NYY)'),
    ('mlb_teams', 'location_name', 'the club''s location (New York)'),
    ('mlb_teams', 'short_name', 'the club''s short name (NY Yankees)'),
    ('mlb_teams', 'franchise_name', 'the franchise''s name'),
    ('mlb_teams', 'club_name', 'the club''s name (Yankees)'),
    ('mlb_teams', 'league_name', 'the league''s name'),
    ('mlb_teams', 'division_name', 'the division''s name'),
    ('mlb_teams', 'first_year_of_play', 'the first season the club played'),
    ('mlb_teams', 'active', 'whether the club is active'),
    -- staging.mlb_games
    ('mlb_games', 'game_date', 'the scheduled first pitch (UTC)'),
    ('mlb_games', 'game_type', 'R regular season, S spring training, P/F/D/L/W postseason rounds, A all-star'),
    ('mlb_games', 'double_header', 'N no, Y a true doubleheader, S a split (separate admission) doubleheader'),
    ('mlb_games', 'game_number', '1 or 2: the game of a doubleheader'),
    ('mlb_games', 'detailed_state', 'the game''s status in words (Final, Postponed, In Progress ...)'),
    ('mlb_games', 'abstract_state', 'Preview, Live or Final'),
    ('mlb_games', 'coded_game_state', 'the status code: F final, D postponed, C cancelled, I in progress, S scheduled ...'),
    ('mlb_games', 'status_code', 'MLB''s detailed status code'),
    ('mlb_games', 'away_team_id', 'the visiting club (staging.mlb_teams.team_id)'),
    ('mlb_games', 'home_team_id', 'the home club (staging.mlb_teams.team_id)'),
    ('mlb_games', 'away_score', 'runs scored by the visitors (null before the game)'),
    ('mlb_games', 'home_score', 'runs scored by the home club (null before the game)'),
    ('mlb_games', 'away_is_winner', 'whether the visitors won'),
    ('mlb_games', 'home_is_winner', 'whether the home club won'),
    ('mlb_games', 'is_tie', 'whether the game ended in a tie'),
    ('mlb_games', 'day_night', 'day or night'),
    ('mlb_games', 'scheduled_innings', 'innings scheduled (9, or 7 in some doubleheaders)'),
    ('mlb_games', 'games_in_series', 'games in the series this game belongs to'),
    ('mlb_games', 'series_game_number', 'which game of the series this is'),
    ('mlb_games', 'reschedule_date', 'for a postponed game: the date it was moved to'),
    ('mlb_games', 'rescheduled_from_date', 'for a make-up game: the date it was first scheduled'),
    -- staging.mlb_players
    ('mlb_players', 'full_name', 'the player''s full name'),
    ('mlb_players', 'boxscore_name', 'the name a box score prints'),
    ('mlb_players', 'primary_position_code', 'the player''s primary position code (1 pitcher ... 10 designated hitter)'),
    ('mlb_players', 'primary_position_abbreviation', 'the player''s primary position (P, C, 1B, SS, DH ...)'),
    ('mlb_players', 'last_team_id', 'the club of the player''s latest game loaded'),
    ('mlb_players', 'last_game_date', 'the date of the player''s latest game loaded'),
    ('mlb_players', 'last_game_pk', 'the player''s latest game loaded'),
    -- staging.mlb_player_batting
    ('mlb_player_batting', 'batting_order', 'the batting order slot as MLB writes it (100 = first, 101 = first substitute ...)'),
    ('mlb_player_batting', 'position_abbreviation', 'the position the player played in this game'),
    ('mlb_player_batting', 'sac_bunts', 'sacrifice bunts'),
    ('mlb_player_batting', 'left_on_base', 'runners left on base'),
    ('mlb_player_batting', 'ground_into_double_play', 'times grounded into a double play'),
    ('mlb_player_batting', 'fly_outs', 'fly outs'),
    ('mlb_player_batting', 'ground_outs', 'ground outs'),
    -- staging.mlb_player_pitching
    ('mlb_player_pitching', 'hit_batsmen', 'batters hit by a pitch'),
    ('mlb_player_pitching', 'strikes', 'strikes thrown'),
    ('mlb_player_pitching', 'balls', 'balls thrown'),
    ('mlb_player_pitching', 'save_opportunities', 'save opportunities'),
    ('mlb_player_pitching', 'blown_saves', 'blown saves'),
    ('mlb_player_pitching', 'complete_games', 'complete games'),
    ('mlb_player_pitching', 'shutouts', 'shutouts'),
    ('mlb_player_pitching', 'wild_pitches', 'wild pitches'),
    ('mlb_player_pitching', 'balks', 'balks'),
    ('mlb_player_pitching', 'inherited_runners', 'runners on base when the pitcher came in'),
    ('mlb_player_pitching', 'inherited_runners_scored', 'inherited runners who scored'),
    -- curated
    ('fantasy_scoring', 'stat_group', 'batting or pitching: which staging table the stat is a column of'),
    ('fantasy_scoring', 'stat_name', 'a column of staging.mlb_player_batting or mlb_player_pitching'),
    ('fantasy_scoring', 'points', 'points per unit of the stat (negative for a penalty)'),
    ('mlb_fantasy_points_daily', 'team_id', 'the club the player played for that day'),
    ('mlb_fantasy_points_daily', 'games', 'games the player appeared in that day'),
    ('mlb_fantasy_points_daily', 'batting_points', 'points from the player''s batting lines of the day'),
    ('mlb_fantasy_points_daily', 'pitching_points', 'points from the player''s pitching lines of the day'),
    ('mlb_fantasy_points_daily', 'total_points', 'batting_points + pitching_points'),
    ('mlb_player_season_batting', 'team_id', 'the club of the player''s latest game of the season'),
    ('mlb_player_season_batting', 'avg', 'batting average: hits / at_bats'),
    ('mlb_player_season_batting', 'obp', 'on-base percentage: (hits + walks + hit by pitch) / (at-bats + walks + hit by pitch + sac flies)'),
    ('mlb_player_season_batting', 'slg', 'slugging: total_bases / at_bats'),
    ('mlb_player_season_batting', 'ops', 'on-base plus slugging: obp + slg'),
    ('mlb_player_season_pitching', 'team_id', 'the club of the pitcher''s latest game of the season'),
    ('mlb_player_season_pitching', 'era', 'earned run average: 9 * earned_runs / innings (outs / 3)'),
    ('mlb_player_season_pitching', 'whip', 'walks plus hits per inning pitched'),
    ('mlb_team_standings', 'team_id', 'MLB''s team id'),
    ('mlb_team_standings', 'games_played', 'final regular-season games played'),
    ('mlb_team_standings', 'win_pct', 'wins / games_played'),
    ('mlb_team_standings', 'runs_scored', 'runs the club scored'),
    ('mlb_team_standings', 'runs_allowed', 'runs the club allowed'),
    ('mlb_team_standings', 'run_differential', 'runs_scored - runs_allowed');

insert into column_notes (table_name, column_name, note) values
    ('mlb_teams', '', 'the clubs of a season, typed from the /teams response'),
    ('mlb_games', '', 'one row per game: schedule, status and score, typed from the schedule responses'),
    ('mlb_players', '', 'one row per player seen in a box score, with the latest game loaded'),
    ('mlb_player_batting', '', 'one row per game and batter: the batting line of the box score'),
    ('mlb_player_pitching', '', 'one row per game and pitcher: the pitching line of the box score'),
    ('fantasy_scoring', '', 'fantasy scoring systems: points per unit of a staging stat column (edit the rows, re-run)'),
    ('mlb_fantasy_points_daily', '', 'fantasy points per scoring system, date and player'),
    ('mlb_player_season_batting', '', 'each player''s regular-season batting line with avg, obp, slg, ops'),
    ('mlb_player_season_pitching', '', 'each pitcher''s regular-season line with era and whip'),
    ('mlb_team_standings', '', 'each club''s regular-season record: wins, losses, runs for and against');

do $comments$
declare
    target record;
begin
    -- tables (not their partitions)
    for target in
        select namespace.nspname as schema_name, class.relname as table_name, notes.note
        from pg_class as class
        inner join pg_namespace as namespace on class.relnamespace = namespace.oid
        inner join column_notes as notes on notes.table_name = class.relname and notes.column_name = ''
        where namespace.nspname in ('staging', 'curated') and class.relkind in ('r', 'p') and not class.relispartition
    loop
        execute format('comment on table %I.%I is %L', target.schema_name, target.table_name, target.note);
    end loop;
    -- columns: the table's own note, else the shared one
    for target in
        select columns.table_schema, columns.table_name, columns.column_name,
            coalesce(own.note, shared.note) as note
        from information_schema.columns as columns
        inner join pg_namespace as namespace on namespace.nspname = columns.table_schema
        inner join pg_class as class on class.relnamespace = namespace.oid and class.relname = columns.table_name
        left join column_notes as own on own.table_name = columns.table_name and own.column_name = columns.column_name
        left join column_notes as shared on shared.table_name = '' and shared.column_name = columns.column_name
        where columns.table_schema in ('staging', 'curated') and not class.relispartition
            and coalesce(own.note, shared.note) is not null
    loop
        execute format('comment on column %I.%I.%I is %L',
            target.table_schema, target.table_name, target.column_name, target.note);
    end loop;
end;
$comments$;
