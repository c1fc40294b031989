-- purpose:   record the partitions a run covers; open a checkpoint (status `pending`, or
--            `extracted` for a run that starts at the transform) for each one not yet
--            done (or every one, with force); the others are marked skipped
-- grain:     one row per run and partition
-- keys:      run_id, source, endpoint, partition_key
-- partition: partition_key
-- sources:   ops.pipeline_checkpoints
with planned as (
    select distinct unnest(%(partition_keys)s::date[]) as partition_key
),

opened as (
    insert into ops.pipeline_checkpoints as checkpoint (
        source, endpoint, partition_key, status, last_run_id
    )
    select
        %(source)s,
        %(endpoint)s,
        planned.partition_key,
        %(status)s,
        %(run_id)s
    from planned
    order by planned.partition_key
    on conflict (source, endpoint, partition_key) do update set
        status = excluded.status,
        last_run_id = excluded.last_run_id,
        updated_at = now()
    where %(force)s or checkpoint.status <> 'done'
    returning checkpoint.partition_key
)

insert into ops.run_partitions (run_id, source, endpoint, partition_key, is_skipped)
select
    %(run_id)s,
    %(source)s,
    %(endpoint)s,
    planned.partition_key,
    planned.partition_key not in (select opened.partition_key from opened)
from planned
returning partition_key, is_skipped
