-- purpose:   cross-table consistency of pitching: the runs a team's pitchers allowed add up
--            to the opponent's score, and each line's innings pitched agrees with its outs
--            ("6.2" is 20 outs); team outs are given in details
-- grain:     one row per partition (the rows checked are team-games)
-- keys:      failing keys: game_pk, team_id
-- partition: official_date = partition_date
-- sources:   staging.mlb_games, staging.mlb_player_pitching
-- severity:  error
-- threshold: 0 (team-games that do not add up)
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
        home_score as runs_against
    from games
    union all
    select
        game_pk,
        home_team_id as team_id,
        away_score as runs_against
    from games
),

pitching_totals as (
    select
        game_pk,
        team_id,
        sum(runs) as runs,
        sum(outs) as outs,
        count(*) filter (
            where innings_pitched ~ '^[0-9]+(\.[0-9])?$'
            and split_part(innings_pitched, '.', 1)::integer * 3
            + coalesce(nullif(split_part(innings_pitched, '.', 2), '')::integer, 0) <> outs
        ) as lines_disagreeing
    from staging.mlb_player_pitching
    where official_date = %(partition_date)s
    group by game_pk, team_id
),

checked as (
    select
        jsonb_build_object('game_pk', team_games.game_pk, 'team_id', team_games.team_id,
            'runs_against', team_games.runs_against, 'pitcher_runs', pitching_totals.runs,
            'outs', pitching_totals.outs) as row_key,
        pitching_totals.outs,
        (
            pitching_totals.runs is distinct from team_games.runs_against
            or pitching_totals.lines_disagreeing > 0
        ) as is_failing
    from team_games
    inner join pitching_totals
        on team_games.game_pk = pitching_totals.game_pk and team_games.team_id = pitching_totals.team_id
)

select
    count(*) as rows_checked,
    count(*) filter (where is_failing) as rows_failing,
    count(*) filter (where is_failing) as metric_value,
    coalesce(jsonb_agg(row_key order by row_key::text) filter (where is_failing), '[]') as failing_keys,
    jsonb_build_object('team_outs', coalesce(sum(outs), 0)) as details
from checked
