-- purpose:   what the enabled alert rules find true now: one row per rule and subject
--            (a source, or the queue) with a one-line summary
-- grain:     one row per firing rule and subject
-- keys:      rule_id, subject
-- partition: none
-- sources:   ops.alert_rules, ops.pipeline_runs, ops.run_partitions, ops.pipeline_checkpoints,
--            ops.circuit_breakers, ops.dead_letters, procrastinate_jobs, procrastinate_events;
--            when each source's newest final game reached staging comes in as arrays (the
--            source's own `freshness_newest` query, pipeline/observe/freshness.py)
with rules as (
    select
        rule_id,
        kind,
        threshold
    from ops.alert_rules
    where is_enabled
),

latest_ended as (
    select distinct on (source)
        run_id,
        source,
        status,
        quality_status,
        message
    from ops.pipeline_runs
    where status <> 'running'
    order by source asc, run_id desc
),

run_outcomes as (
    select
        latest.run_id,
        latest.source,
        latest.status,
        latest.quality_status,
        latest.message,
        count(*) filter (where checkpoint.status = 'failed') as failed,
        count(*) filter (where checkpoint.status = 'partial') as partial
    from latest_ended as latest
    left join ops.run_partitions as planned on latest.run_id = planned.run_id
    left join ops.pipeline_checkpoints as checkpoint
        on
            planned.source = checkpoint.source
            and planned.endpoint = checkpoint.endpoint
            and planned.partition_key = checkpoint.partition_key
    group by latest.run_id, latest.source, latest.status, latest.quality_status, latest.message
),

dead_letters as (
    select
        source,
        count(*) as open_letters
    from ops.dead_letters
    where resolved_at is null
    group by source
),

final_games as (
    select
        source,
        newest_final_at
    from unnest(%(final_sources)s::text[], %(newest_final_at)s::timestamptz[]) as final_game (source, newest_final_at)
),

waiting as (
    select min(event.at) as waiting_since
    from procrastinate_jobs as job
    inner join procrastinate_events as event on job.id = event.job_id
    where
        job.status = 'todo'
        and (job.scheduled_at is null or job.scheduled_at <= now())
        and event.type = 'deferred'
)

select
    rules.rule_id,
    outcome.source as subject,
    concat('run ', outcome.run_id, ' failed: ', coalesce(outcome.message, 'see pipeline status')) as summary
from rules
inner join run_outcomes as outcome
    on rules.kind = 'run_failed' and outcome.status = 'failed' and (outcome.failed > 0 or outcome.partial = 0)

union all

select
    rules.rule_id,
    outcome.source,
    concat('run ', outcome.run_id, ' ended partial: ', outcome.partial, ' partitions partial (see pipeline dlq list)')
from rules
inner join run_outcomes as outcome
    on rules.kind = 'run_partial' and outcome.status = 'failed' and outcome.failed = 0 and outcome.partial > 0

union all

select
    rules.rule_id,
    outcome.source,
    concat('run ', outcome.run_id, ': an error-severity quality check failed (see pipeline quality report)')
from rules
inner join run_outcomes as outcome on rules.kind = 'quality_error' and outcome.quality_status = 'failed'

union all

select
    rules.rule_id,
    breaker.source,
    concat('circuit breaker ', breaker.state, ' since ', breaker.opened_at, ': ', coalesce(breaker.last_error, '-'))
from rules
inner join ops.circuit_breakers as breaker
    on
        rules.kind = 'breaker_open'
        and breaker.state <> 'closed'
        and breaker.opened_at <= now() - make_interval(secs => rules.threshold * 60)

union all

select
    rules.rule_id,
    letters.source,
    concat(letters.open_letters, ' open dead letters (threshold ', rules.threshold, ')')
from rules
inner join dead_letters as letters on rules.kind = 'dead_letters' and rules.threshold < letters.open_letters

union all

select
    rules.rule_id,
    final_games.source,
    concat('the newest final game reached staging ',
        round((extract(epoch from now() - final_games.newest_final_at) / 3600)::numeric, 1), ' h ago (threshold ',
        rules.threshold, ' h)')
from rules
inner join final_games
    on rules.kind = 'data_stale' and final_games.newest_final_at < now() - make_interval(secs => rules.threshold * 3600)

union all

select
    rules.rule_id,
    'queue',
    concat('the oldest queued job has waited ',
        round((extract(epoch from now() - waiting.waiting_since) / 60)::numeric, 1), ' min (threshold ',
        rules.threshold, ' min)')
from rules
inner join waiting
    on rules.kind = 'queue_stuck' and waiting.waiting_since < now() - make_interval(secs => rules.threshold * 60)
