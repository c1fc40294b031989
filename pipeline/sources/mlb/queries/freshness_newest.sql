-- purpose:   the source's side of data freshness: when the newest final game reached
--            staging, and its date (no row before any game is final)
-- grain:     one row, or none
-- keys:      none
-- partition: none
-- sources:   staging.mlb_games
select
    max(updated_at) as newest_final_at,
    max(official_date) as newest_final_date
from staging.mlb_games
where abstract_state = 'Final'
having count(*) > 0
