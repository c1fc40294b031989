-- purpose:   fresh planner statistics for procrastinate's jobs table once a run queued many
--            jobs: with statistics from an empty queue, every worker's fetch planned an
--            anti-join over all queued jobs for each queued job (8 ms a fetch with 206
--            queued, 0.1 ms with fresh statistics)
-- grain:     none
-- keys:      none
-- partition: none
-- sources:   procrastinate_jobs
analyze procrastinate_jobs
