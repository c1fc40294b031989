-- purpose:   fantasy points per player per game under every scoring system in
--            curated.fantasy_scoring: the labels of training sets, and what the fantasy
--            features average
-- grain:     one row per scoring system, game and player
-- keys:      scoring_system, game_pk, player_id
-- partition: official_date (the dates a run touched, and the dates blocked by a failed
--            error quality check in its seasons: their rows are removed)
-- sources:   staging.mlb_player_batting, staging.mlb_player_pitching, staging.mlb_games,
--            curated.fantasy_scoring, ops.quality_blocked_partitions,
--            ops.quality_blocked_games
{%- from "_feature_macros.sql" import passes_gate %}
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
} %}
with refreshed_dates as (
    select unnest(%(dates)s::date[]) as official_date
    union
    select blocked.partition_key
    from ops.quality_blocked_partitions as blocked
    where
        blocked.source = 'mlb'
        and extract(year from blocked.partition_key)::integer = any(%(seasons)s::integer[])
    union
    select blocked_game.partition_key
    from ops.quality_blocked_games as blocked_game
    where
        blocked_game.source = 'mlb'
        and extract(year from blocked_game.partition_key)::integer = any(%(seasons)s::integer[])
),

-- each scoring system as one row of points per stat column (0 for a column it does not
-- score): a line's points are then a sum of products, with no per-rule row
weights as (
    select
        scoring_system,
        {%- for group, stat_columns in scored.items() %}
        {%- for column in stat_columns %}
        coalesce(sum(points) filter (where stat_group = '{{ group }}' and stat_name = '{{ column }}'), 0)
            as {{ group }}_{{ column }},
        {%- endfor %}
        {%- endfor %}
        count(*) filter (where stat_group = 'batting') as batting_rules,
        count(*) filter (where stat_group = 'pitching') as pitching_rules
    from curated.fantasy_scoring
    group by scoring_system
),

{%- for group, stat_columns in scored.items() %}

{{ group }}_lines as (
    select
        lines.official_date,
        lines.season,
        lines.player_id,
        lines.team_id,
        lines.game_pk,
        {%- for column in stat_columns %}
        coalesce(lines.{{ column }}, 0) as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from staging.mlb_player_{{ group }} as lines
    inner join staging.mlb_games as games on lines.game_pk = games.game_pk
    where
        lines.official_date in (select refreshed_dates.official_date from refreshed_dates)
        and games.game_type = 'R'
        and {{ passes_gate("lines.game_pk", "lines.official_date") }}
),
{%- endfor %}

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
        as points
    from {{ group }}_lines as lines
    -- a system with no rule for this group scores none of its lines
    inner join weights on weights.{{ group }}_rules > 0
    {{- "\n    union all" if not loop.last }}
    {%- endfor %}
),

final as (
    select
        scoring_system,
        game_pk,
        player_id,
        min(official_date) as official_date,
        min(season) as season,
        max(team_id) as team_id,
        coalesce(sum(points) filter (where stat_group = 'batting'), 0) as batting_points,
        coalesce(sum(points) filter (where stat_group = 'pitching'), 0) as pitching_points,
        sum(points) as total_points
    from scored_lines
    group by scoring_system, game_pk, player_id
),

upserted as (
    insert into curated.mlb_fantasy_points_game as target (
        scoring_system, game_pk, player_id, official_date, season, team_id,
        batting_points, pitching_points, total_points
    )
    select
        scoring_system,
        game_pk,
        player_id,
        official_date,
        season,
        team_id,
        batting_points,
        pitching_points,
        total_points
    from final
    on conflict (scoring_system, game_pk, player_id) do update set
        official_date = excluded.official_date,
        season = excluded.season,
        team_id = excluded.team_id,
        batting_points = excluded.batting_points,
        pitching_points = excluded.pitching_points,
        total_points = excluded.total_points,
        updated_at = now()
    where
        (target.official_date, target.season, target.team_id,
            target.batting_points, target.pitching_points, target.total_points)
        is distinct from
        (excluded.official_date, excluded.season, excluded.team_id,
            excluded.batting_points, excluded.pitching_points, excluded.total_points)
    returning 1
),

-- the stale keys by a set difference (never a nested loop over final), deleted by key
removed as (
    delete from curated.mlb_fantasy_points_game as stale
    using (
        select
            held.scoring_system,
            held.game_pk,
            held.player_id
        from curated.mlb_fantasy_points_game as held
        where held.official_date in (select refreshed_dates.official_date from refreshed_dates)
        except
        select
            final.scoring_system,
            final.game_pk,
            final.player_id
        from final
    ) as gone
    where
        stale.scoring_system = gone.scoring_system
        and stale.game_pk = gone.game_pk
        and stale.player_id = gone.player_id
    returning 1
)

select (select count(*) from upserted) + (select count(*) from removed) as rows_written
