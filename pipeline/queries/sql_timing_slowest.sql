-- purpose:   the slowest SQL files by total time in jobs (optionally since a time), for
--            `pipeline status --slow`
-- grain:     one row per SQL file
-- keys:      sql_name
-- partition: none
-- sources:   ops.sql_timings
select
    sql_name,
    string_agg(distinct stage, ', ') as stages,
    count(distinct job_id) as jobs,
    sum(executions) as executions,
    round(sum(seconds)::numeric, 3) as total_seconds,
    round((1000 * sum(seconds) / nullif(sum(executions), 0))::numeric, 1) as mean_ms,
    round((1000 * max(max_seconds))::numeric, 1) as max_ms
from ops.sql_timings
where %(since)s::timestamptz is null or recorded_at >= %(since)s::timestamptz
group by sql_name
order by sum(seconds) desc
limit %(limit)s
