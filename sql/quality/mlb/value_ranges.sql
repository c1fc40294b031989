-- purpose:   values in their possible ranges: no negative counts or scores, hits <= at
--            bats, home runs <= hits, earned runs <= runs, outs >= 0
-- grain:     one row per partition (the rows checked are games and player lines of the date)
-- keys:      failing keys: table, game_pk, player_id
-- partition: official_date = partition_date
-- sources:   staging.mlb_games, staging.mlb_player_batting, staging.mlb_player_pitching
-- severity:  error
-- threshold: 0 (rows out of range)
with games as (
    select
        game_pk,
        away_score,
        home_score
    from staging.mlb_games
    where official_date = %(partition_date)s
),

batting as (
    select *
    from staging.mlb_player_batting
    where official_date = %(partition_date)s
),

pitching as (
    select *
    from staging.mlb_player_pitching
    where official_date = %(partition_date)s
),

checked as (
    select
        jsonb_build_object('table', 'mlb_games', 'game_pk', game_pk) as row_key,
        coalesce(away_score < 0 or home_score < 0, false) as is_failing
    from games
    union all
    select
        jsonb_build_object('table', 'mlb_player_batting', 'game_pk', game_pk, 'player_id', player_id),
        coalesce(
            least(plate_appearances, at_bats, runs, hits, doubles, triples, home_runs, rbi,
                base_on_balls, strike_outs, stolen_bases, total_bases) < 0
            or hits > at_bats
            or home_runs > hits
            or at_bats > plate_appearances,
            false
        )
    from batting
    union all
    select
        jsonb_build_object('table', 'mlb_player_pitching', 'game_pk', game_pk, 'player_id', player_id),
        coalesce(
            least(outs, hits, runs, earned_runs, base_on_balls, strike_outs, home_runs,
                batters_faced, pitches) < 0
            or earned_runs > runs
            or home_runs > hits,
            false
        )
    from pitching
)

select
    count(*) as rows_checked,
    count(*) filter (where is_failing) as rows_failing,
    count(*) filter (where is_failing) as metric_value,
    coalesce(jsonb_agg(row_key order by row_key::text) filter (where is_failing), '[]') as failing_keys,
    '{}'::jsonb as details
from checked
