-- purpose:   cross-table consistency: each team's batting runs add up to its score in the
--            schedule, for every finished game of the date that has player lines
-- grain:     one row per partition (the rows checked are team-games)
-- keys:      failing keys: game_pk, team_id
-- partition: official_date = partition_date
-- sources:   staging.mlb_games, staging.mlb_player_batting
-- severity:  error
-- threshold: 0 (team-games whose runs differ from the score)
with games as (
    select
        game_pk,
        away_team_id,
        home_team_id,
        away_score,
        home_score
    from staging.mlb_games
    where
        official_date = %(partition_date)s
        and abstract_state = 'Final'
        and coded_game_state not in ('D', 'C')
),

team_games as (
    select
        game_pk,
        away_team_id as team_id,
        away_score as score
    from games
    union all
    select
        game_pk,
        home_team_id as team_id,
        home_score as score
    from games
),

batting_runs as (
    select
        game_pk,
        team_id,
        sum(runs) as runs
    from staging.mlb_player_batting
    where official_date = %(partition_date)s
    group by game_pk, team_id
),

checked as (
    select
        jsonb_build_object('game_pk', team_games.game_pk, 'team_id', team_games.team_id,
            'score', team_games.score, 'batting_runs', coalesce(batting_runs.runs, 0)) as row_key,
        (coalesce(batting_runs.runs, 0) is distinct from team_games.score) as is_failing
    from team_games
    left join batting_runs
        on team_games.game_pk = batting_runs.game_pk and team_games.team_id = batting_runs.team_id
    -- a game whose box score has not landed yet has no lines at all: nothing to compare
    where exists (select 1 from batting_runs as landed where landed.game_pk = team_games.game_pk)
)

select
    count(*) as rows_checked,
    count(*) filter (where is_failing) as rows_failing,
    count(*) filter (where is_failing) as metric_value,
    coalesce(jsonb_agg(row_key order by row_key::text) filter (where is_failing), '[]') as failing_keys,
    '{}'::jsonb as details
from checked
