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
{%- from "_macros.sql" import in_seasons %}
{%- from "curated/mlb/_feature_macros.sql" import passes_gate %}
{%- from "curated/mlb/_scoring.sql" import scored, scored_lines, stat_columns, weights %}
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
{{ weights() }},

{%- for group in scored %}

{{ group }}_lines as (
    select
        lines.official_date,
        lines.season,
        lines.player_id,
        lines.team_id,
        lines.game_pk,
        {{- stat_columns(group, "lines") }}
    from staging.mlb_player_{{ group }} as lines
    inner join staging.mlb_games as games on lines.game_pk = games.game_pk
    where
        lines.official_date in (select refreshed_dates.official_date from refreshed_dates)
        and {{ in_seasons("lines.official_date") }}
        and games.game_type = 'R'
        and {{ passes_gate("lines.game_pk", "lines.official_date") }}
),
{%- endfor %}

{{ scored_lines() }},

final as (
    select
        scoring_system,
        game_pk,
        player_id,
        min(official_date) as official_date,
        min(season) as season,
        max(team_id) as team_id,
        coalesce(sum(points_cents) filter (where stat_group = 'batting'), 0) / 100.0 as batting_points,
        coalesce(sum(points_cents) filter (where stat_group = 'pitching'), 0) / 100.0 as pitching_points,
        sum(points_cents) / 100.0 as total_points
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
