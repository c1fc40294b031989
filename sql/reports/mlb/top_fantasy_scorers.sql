-- purpose:   the players with the most fantasy points over the loaded dates
-- grain:     one row per player
-- keys:      player_id
-- partition: none
-- sources:   curated.mlb_fantasy_points_daily, staging.mlb_players, staging.mlb_teams
-- params:    scoring_system = standard, limit = 10
with points as (
    select
        player_id,
        sum(total_points) as total_points,
        sum(games) as games
    from curated.mlb_fantasy_points_daily
    where scoring_system = %(scoring_system)s
    group by player_id
)

select
    players.full_name,
    teams.abbreviation as team,
    points.games,
    points.total_points
from points
inner join staging.mlb_players as players on points.player_id = players.player_id
left join staging.mlb_teams as teams on players.last_team_id = teams.team_id
order by points.total_points desc, players.full_name asc
limit %(limit)s
