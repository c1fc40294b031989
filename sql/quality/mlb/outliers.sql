-- purpose:   outliers: player lines of the date whose hits, runs, at bats (batting) or
--            earned runs, hits (pitching) lie more than `threshold` standard deviations
--            from the league's per-game distribution over the 28 days before it (needs
--            50+ lines there); a trailing window, so the check costs the same on the last
--            day of a season as on the first
-- grain:     one row per partition (the rows checked are the player lines of the date)
-- keys:      failing keys: table, game_pk, player_id, stat, value
-- partition: official_date = partition_date
-- sources:   staging.mlb_player_batting, staging.mlb_player_pitching
-- severity:  warn
-- threshold: 8 (absolute z-score)
with batting_values as (
    select
        'mlb_player_batting' as table_name,
        batting.game_pk,
        batting.player_id,
        batting.official_date,
        stat.stat_name,
        stat.stat_value
    from staging.mlb_player_batting as batting
    cross join lateral (
        values ('hits', batting.hits), ('runs', batting.runs), ('at_bats', batting.at_bats)
    ) as stat (stat_name, stat_value)
    where batting.official_date between %(partition_date)s::date - 28 and %(partition_date)s::date
),

pitching_values as (
    select
        'mlb_player_pitching' as table_name,
        pitching.game_pk,
        pitching.player_id,
        pitching.official_date,
        stat.stat_name,
        stat.stat_value
    from staging.mlb_player_pitching as pitching
    cross join lateral (
        values ('earned_runs', pitching.earned_runs), ('hits', pitching.hits)
    ) as stat (stat_name, stat_value)
    where pitching.official_date between %(partition_date)s::date - 28 and %(partition_date)s::date
),

window_values as (
    select * from batting_values
    union all
    select * from pitching_values
),

league as (
    select
        table_name,
        stat_name,
        avg(stat_value) as mean_value,
        stddev_pop(stat_value) as sd_value,
        count(*) as lines
    from window_values
    where official_date <> %(partition_date)s
    group by table_name, stat_name
),

scored as (
    select
        jsonb_build_object('table', window_values.table_name, 'game_pk', window_values.game_pk,
            'player_id', window_values.player_id, 'stat', window_values.stat_name,
            'value', window_values.stat_value) as row_key,
        abs(window_values.stat_value - league.mean_value) / nullif(league.sd_value, 0) as z_score
    from window_values
    inner join league
        on window_values.table_name = league.table_name and window_values.stat_name = league.stat_name
    where window_values.official_date = %(partition_date)s and league.lines >= 50
)

select
    count(*) as rows_checked,
    count(*) filter (where z_score > %(threshold)s::numeric) as rows_failing,
    round(coalesce(max(z_score), 0), 3) as metric_value,
    coalesce(
        jsonb_agg(row_key order by row_key::text) filter (where z_score > %(threshold)s::numeric),
        '[]'
    ) as failing_keys,
    '{}'::jsonb as details
from scored
