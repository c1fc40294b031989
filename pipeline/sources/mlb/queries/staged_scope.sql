-- purpose:   every date and season staging holds: the scope of a full curated rebuild
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   staging.mlb_games, staging.mlb_player_batting, staging.mlb_player_pitching
with dates as (
    select official_date from staging.mlb_games
    union
    select official_date from staging.mlb_player_batting
    union
    select official_date from staging.mlb_player_pitching
)

select
    coalesce(array_agg(official_date order by official_date), '{}') as dates,
    coalesce(array_agg(distinct extract(year from official_date)::integer), '{}') as seasons
from dates
