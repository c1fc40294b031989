-- purpose:   tell the session which run its statements belong to (read by the change-log trigger)
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   none
select set_config('pipeline.run_id', %(run_id)s::text, false) as run_id
