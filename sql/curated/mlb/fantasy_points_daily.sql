-- purpose:   fantasy points per player per date under every scoring system in
--            curated.fantasy_scoring (points per unit of any staging stat column)
-- grain:     one row per scoring system, date and player
-- keys:      scoring_system, official_date, player_id
-- partition: official_date (recomputed for the dates a run touched; games held back by a
--            failed error quality check are left out)
-- sources:   staging.mlb_player_batting, staging.mlb_player_pitching, curated.fantasy_scoring,
--            ops.quality_blocked_games, ops.quality_blocked_partitions
{%- from "_macros.sql" import passes_quality_gate, refresh_slice %}
with batting_lines as (
    select
        batting.official_date,
        batting.player_id,
        batting.team_id,
        batting.game_pk,
        to_jsonb(batting) as stats
    from staging.mlb_player_batting as batting
    where
        batting.official_date = any(%(dates)s::date[])
        and {{ passes_quality_gate('mlb', 'batting.game_pk', 'batting.official_date') }}
),

pitching_lines as (
    select
        pitching.official_date,
        pitching.player_id,
        pitching.team_id,
        pitching.game_pk,
        to_jsonb(pitching) as stats
    from staging.mlb_player_pitching as pitching
    where
        pitching.official_date = any(%(dates)s::date[])
        and {{ passes_quality_gate('mlb', 'pitching.game_pk', 'pitching.official_date') }}
),

scored_lines as (
    select
        rules.scoring_system,
        lines.official_date,
        lines.player_id,
        lines.team_id,
        lines.game_pk,
        rules.stat_group,
        coalesce((lines.stats ->> rules.stat_name)::numeric, 0) * rules.points as points
    from (
        select 'batting' as stat_group, * from batting_lines
        union all
        select 'pitching' as stat_group, * from pitching_lines
    ) as lines
    inner join curated.fantasy_scoring as rules on lines.stat_group = rules.stat_group
),

final as (
    select
        scoring_system,
        official_date,
        player_id,
        max(team_id) as team_id,
        count(distinct game_pk)::integer as games,
        coalesce(sum(points) filter (where stat_group = 'batting'), 0) as batting_points,
        coalesce(sum(points) filter (where stat_group = 'pitching'), 0) as pitching_points,
        sum(points) as total_points
    from scored_lines
    group by scoring_system, official_date, player_id
),

{{ refresh_slice(
    "curated.mlb_fantasy_points_daily", ["scoring_system", "official_date", "player_id"],
    ["team_id", "games", "batting_points", "pitching_points", "total_points"],
    "official_date", "dates", "date",
) }}
