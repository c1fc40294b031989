-- purpose:   required staging fields are not null: scores of finished games, the counting
--            stats every batting and pitching line must have; null rate per column in details
-- grain:     one row per partition (the rows checked are games and player lines of the date)
-- keys:      failing keys: table, game_pk, player_id
-- partition: official_date = partition_date
-- sources:   staging.mlb_games, staging.mlb_player_batting, staging.mlb_player_pitching
-- severity:  error
-- threshold: 0 (rows with a null required field)
with games as (
    select
        game_pk,
        game_date,
        away_score,
        home_score
    from staging.mlb_games
    where
        official_date = %(partition_date)s
        and abstract_state = 'Final'
        and coded_game_state not in ('D', 'C')
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

cells as (
    select
        'mlb_games' as table_name,
        games.game_pk,
        null::integer as player_id,
        'mlb_games.' || required.column_name as column_name,
        required.is_null
    from games
    cross join lateral (
        values
            ('game_date', games.game_date is null),
            ('away_score', games.away_score is null),
            ('home_score', games.home_score is null)
    ) as required (column_name, is_null)
    union all
    select
        'mlb_player_batting',
        batting.game_pk,
        batting.player_id,
        'mlb_player_batting.' || required.column_name,
        required.is_null
    from batting
    cross join lateral (
        values
            ('team_id', batting.team_id is null),
            ('at_bats', batting.at_bats is null),
            ('runs', batting.runs is null),
            ('hits', batting.hits is null),
            ('home_runs', batting.home_runs is null),
            ('rbi', batting.rbi is null),
            ('base_on_balls', batting.base_on_balls is null),
            ('strike_outs', batting.strike_outs is null)
    ) as required (column_name, is_null)
    union all
    select
        'mlb_player_pitching',
        pitching.game_pk,
        pitching.player_id,
        'mlb_player_pitching.' || required.column_name,
        required.is_null
    from pitching
    cross join lateral (
        values
            ('team_id', pitching.team_id is null),
            ('innings_pitched', pitching.innings_pitched is null),
            ('outs', pitching.outs is null)
    ) as required (column_name, is_null)
),

null_rates as (
    select
        column_name,
        round(avg(is_null::integer), 4) as null_rate
    from cells
    group by column_name
),

-- grouped on the scalar keys; the JSON key is built for failing rows only
checked as (
    select
        table_name,
        game_pk,
        player_id,
        bool_or(is_null) as is_failing
    from cells
    group by table_name, game_pk, player_id
),

failing as (
    select
        case
            when player_id is null then jsonb_build_object('table', table_name, 'game_pk', game_pk)
            else jsonb_build_object('table', table_name, 'game_pk', game_pk, 'player_id', player_id)
        end as row_key
    from checked
    where is_failing
)

select
    (select count(*) from checked) as rows_checked,
    (select count(*) from checked where is_failing) as rows_failing,
    (select count(*) from checked where is_failing) as metric_value,
    (
        select coalesce(jsonb_agg(row_key order by row_key::text), '[]')
        from failing
    ) as failing_keys,
    (
        select coalesce(jsonb_object_agg(column_name, null_rate), '{}')
        from null_rates
    ) as details
