-- purpose:   whether a scoring system has rules in curated.fantasy_scoring
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   curated.fantasy_scoring
select exists (
    select 1 from curated.fantasy_scoring where scoring_system = %(scoring_system)s
)
