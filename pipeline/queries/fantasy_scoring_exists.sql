-- purpose:   whether a scoring system has rules in curated.fantasy_scoring
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   curated.fantasy_scoring
select count(*) > 0 as is_known
from curated.fantasy_scoring
where scoring_system = %(scoring_system)s
