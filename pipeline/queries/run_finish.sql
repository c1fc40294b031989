-- purpose:   close a run: succeeded when every planned partition is done, else failed;
--            its message names the dead letters only when its partitions have open ones
-- grain:     one row per run
-- keys:      run_id
-- partition: none
-- sources:   ops.run_partitions, ops.pipeline_checkpoints, ops.dead_letters
with outcome as (
    select
        count(*) filter (where checkpoint.status = 'failed') as failed,
        count(*) filter (where checkpoint.status = 'partial') as partial,
        (
            select count(*)
            from ops.dead_letters as letter
            where
                letter.resolved_at is null
                and exists (
                    select 1
                    from ops.run_partitions as lettered
                    where
                        lettered.run_id = %(run_id)s
                        and not lettered.is_skipped
                        and lettered.source = letter.source
                        and lettered.partition_key = letter.partition_key
                )
        ) as open_letters
    from ops.run_partitions as planned
    inner join ops.pipeline_checkpoints as checkpoint
        on
            planned.source = checkpoint.source
            and planned.endpoint = checkpoint.endpoint
            and planned.partition_key = checkpoint.partition_key
    where planned.run_id = %(run_id)s
)

update ops.pipeline_runs as run
set
    status = case when outcome.failed + outcome.partial = 0 then 'succeeded' else 'failed' end,
    finished_at = now(),
    message = case
        when outcome.failed + outcome.partial = 0 then null
        else concat_ws(', ',
            case when outcome.failed > 0 then format('%%s partitions failed', outcome.failed) end,
            case when outcome.partial > 0 then format('%%s partial', outcome.partial) end,
            case when outcome.open_letters > 0
                then format('%%s dead letters open (pipeline dlq list)', outcome.open_letters) end)
    end
from outcome
where run.run_id = %(run_id)s and run.status = 'running'
returning run.status, run.message
