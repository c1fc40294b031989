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
{#- the stats checked, per staging table -#}
{%- set checked = {
    "mlb_player_batting": ["hits", "runs", "at_bats"],
    "mlb_player_pitching": ["earned_runs", "hits"],
} %}
-- the league's distribution over the 28 days before the date: one aggregate pass over
-- each table (no row per line and stat), then only the date's own lines are unpivoted
with league as (
    {%- for table, stats in checked.items() %}
    select
        '{{ table }}' as table_name,
        stat.stat_name,
        stat.mean_value,
        stat.sd_value,
        totals.lines
    from (
        select
            count(*) as lines,
            {%- for stat in stats %}
            avg(lines.{{ stat }}) as mean_{{ stat }},
            stddev_pop(lines.{{ stat }}) as sd_{{ stat }}{{ "," if not loop.last }}
            {%- endfor %}
        from staging.{{ table }} as lines
        where lines.official_date between %(partition_date)s::date - 28 and %(partition_date)s::date - 1
    ) as totals
    cross join lateral (
        values
        {%- for stat in stats %}
            ('{{ stat }}', totals.mean_{{ stat }}, totals.sd_{{ stat }}){{ "," if not loop.last }}
        {%- endfor %}
    ) as stat (stat_name, mean_value, sd_value)
    {{- "\n    union all" if not loop.last }}
    {%- endfor %}
),

date_values as (
    {%- for table, stats in checked.items() %}
    select
        '{{ table }}' as table_name,
        lines.game_pk,
        lines.player_id,
        stat.stat_name,
        stat.stat_value
    from staging.{{ table }} as lines
    cross join lateral (
        values
        {%- for stat in stats %}
            ('{{ stat }}', lines.{{ stat }}){{ "," if not loop.last }}
        {%- endfor %}
    ) as stat (stat_name, stat_value)
    where lines.official_date = %(partition_date)s
    {{- "\n    union all" if not loop.last }}
    {%- endfor %}
),

scored as (
    select
        date_values.table_name,
        date_values.game_pk,
        date_values.player_id,
        date_values.stat_name,
        date_values.stat_value,
        abs(date_values.stat_value - league.mean_value) / nullif(league.sd_value, 0) as z_score
    from date_values
    inner join league
        on date_values.table_name = league.table_name and date_values.stat_name = league.stat_name
    where league.lines >= 50
),

-- the JSON key of the failing lines only
failing as (
    select
        jsonb_build_object('table', table_name, 'game_pk', game_pk, 'player_id', player_id, 'stat', stat_name,
            'value', stat_value) as row_key
    from scored
    where z_score > %(threshold)s::numeric
)

select
    count(*) as rows_checked,
    count(*) filter (where z_score > %(threshold)s::numeric) as rows_failing,
    round(coalesce(max(z_score), 0), 3) as metric_value,
    (select coalesce(jsonb_agg(failing.row_key order by failing.row_key::text), '[]') from failing) as failing_keys,
    '{}'::jsonb as details
from scored
