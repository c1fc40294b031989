{#- Fantasy scoring shared by curated/mlb/fantasy_points_game and _daily: the stat
    columns a rule of curated.fantasy_scoring may name, each system's rules pivoted into
    one row of weights, and every line's points as a sum of column * weight (no per-line
    JSON: a season is 70k lines times every rule). -#}
{#- every integer stat column of the staging lines a scoring rule may name -#}
{%- set scored = {
    "batting": [
        "games_played", "plate_appearances", "at_bats", "runs", "hits", "doubles", "triples",
        "home_runs", "rbi", "base_on_balls", "intentional_walks", "strike_outs", "stolen_bases",
        "caught_stealing", "hit_by_pitch", "sac_flies", "sac_bunts", "total_bases", "left_on_base",
        "ground_into_double_play", "fly_outs", "ground_outs",
    ],
    "pitching": [
        "games_started", "outs", "hits", "runs", "earned_runs", "base_on_balls", "intentional_walks",
        "strike_outs", "home_runs", "hit_batsmen", "batters_faced", "pitches", "strikes", "balls",
        "wins", "losses", "saves", "save_opportunities", "holds", "blown_saves", "complete_games",
        "shutouts", "wild_pitches", "balks", "inherited_runners", "inherited_runners_scored",
    ],
} -%}

{#- The CTE `weights`: one row per scoring system, a column <group>_<stat> per scored
    column in hundredths of a point, as an integer (0 when no rule names it; the rules'
    points are numeric(6,2), so this is exact and the sums below are integer arithmetic,
    several times cheaper than numeric), and how many rules each group has. -#}
{%- macro weights() -%}
weights as (
    select
        scoring_system,
        {%- for group, stat_columns in scored.items() %}
        {%- for column in stat_columns %}
        coalesce(sum((points * 100)::integer) filter (
            where stat_group = '{{ group }}' and stat_name = '{{ column }}'
        ), 0) as {{ group }}_{{ column }},
        {%- endfor %}
        {%- endfor %}
        count(*) filter (where stat_group = 'batting') as batting_rules,
        count(*) filter (where stat_group = 'pitching') as pitching_rules
    from curated.fantasy_scoring
    group by scoring_system
)
{%- endmacro -%}

{#- The CTE `scored_lines`: every line of the CTEs batting_lines and pitching_lines (which
    carry game_pk, player_id, official_date, season, team_id and the scored columns, nulls
    as 0) scored under every system with a rule for its group: one row per system and line,
    its points in hundredths (`points_cents`, an integer: divide a sum by 100.0). -#}
{%- macro scored_lines() -%}
scored_lines as (
    {%- for group, stat_columns in scored.items() %}
    select
        weights.scoring_system,
        lines.game_pk,
        lines.player_id,
        lines.official_date,
        lines.season,
        lines.team_id,
        '{{ group }}' as stat_group,
        {%- for column in stat_columns %}
        lines.{{ column }} * weights.{{ group }}_{{ column }}{{ " +" if not loop.last }}
        {%- endfor %}
        as points_cents
    from {{ group }}_lines as lines
    -- a system with no rule for this group scores none of its lines
    inner join weights on weights.{{ group }}_rules > 0
    {{- "\n    union all" if not loop.last }}
    {%- endfor %}
)
{%- endmacro -%}

{#- The scored columns of a staging line, nulls as 0 (`alias`: the staging table's alias). -#}
{%- macro stat_columns(group, alias) -%}
        {%- for column in scored[group] %}
        coalesce({{ alias }}.{{ column }}, 0) as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
{%- endmacro -%}
