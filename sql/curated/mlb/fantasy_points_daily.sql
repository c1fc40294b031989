-- purpose:   fantasy points per player per date under every scoring system in
--            curated.fantasy_scoring (points per unit of any integer stat column of the
--            staging lines, listed in _scoring.sql)
-- grain:     one row per scoring system, date and player
-- keys:      scoring_system, official_date, player_id
-- partition: official_date (recomputed for the dates a run touched; games held back by a
--            failed error quality check are left out)
-- sources:   staging.mlb_player_batting, staging.mlb_player_pitching, curated.fantasy_scoring,
--            ops.quality_blocked_games, ops.quality_blocked_partitions
{%- from "_macros.sql" import passes_quality_gate, refresh_slice %}
{%- from "curated/mlb/_scoring.sql" import scored, scored_lines, stat_columns, weights %}
with {{ weights() }},

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
    where
        lines.official_date = any(%(dates)s::date[])
        and {{ passes_quality_gate('mlb', 'lines.game_pk', 'lines.official_date') }}
),
{%- endfor %}

{{ scored_lines() }},

-- a player's points in each game first (hash aggregates, no sort of every scored line),
-- then the day: a doubleheader is two games
game_points as (
    select
        scoring_system,
        official_date,
        player_id,
        game_pk,
        max(team_id) as team_id,
        sum(points_cents) filter (where stat_group = 'batting') as batting_cents,
        sum(points_cents) filter (where stat_group = 'pitching') as pitching_cents,
        sum(points_cents) as total_cents
    from scored_lines
    group by scoring_system, official_date, player_id, game_pk
),

final as (
    select
        scoring_system,
        official_date,
        player_id,
        max(team_id) as team_id,
        count(*)::integer as games,
        coalesce(sum(batting_cents), 0) / 100.0 as batting_points,
        coalesce(sum(pitching_cents), 0) / 100.0 as pitching_points,
        sum(total_cents) / 100.0 as total_points
    from game_points
    group by scoring_system, official_date, player_id
),

{{ refresh_slice(
    "curated.mlb_fantasy_points_daily", ["scoring_system", "official_date", "player_id"],
    ["team_id", "games", "batting_points", "pitching_points", "total_points"],
    "official_date", "dates", "date",
) }}
