-- Describes what issue 9's migrations added after the column comments of 0061 were written:
-- curated.mlb_daily_totals and staging.mlb_games.listed_on.
comment on column staging.mlb_games.listed_on is
    'the schedule date whose listing this row comes from (a game listed on several dates keeps the latest listing; a played entry beats a postponed one)';

comment on table curated.mlb_daily_totals is
    'one row per date: final games, how many were promoted to curated and how many the quality gate held back';
comment on column curated.mlb_daily_totals.official_date is 'the date the games count for';
comment on column curated.mlb_daily_totals.season is 'the season of the date';
comment on column curated.mlb_daily_totals.games_final is 'final games of the date in staging';
comment on column curated.mlb_daily_totals.games_promoted is 'final games that passed the quality gate';
comment on column curated.mlb_daily_totals.games_held_back is 'final games held back by a failed error-severity check';
comment on column curated.mlb_daily_totals.held_back_game_pks is 'the game_pk of every game held back';
comment on column curated.mlb_daily_totals.runs is 'runs scored in the promoted games';
comment on column curated.mlb_daily_totals.hits is 'hits in the promoted games';
comment on column curated.mlb_daily_totals.home_runs is 'home runs in the promoted games';
comment on column curated.mlb_daily_totals.updated_at is 'when the row last changed';
