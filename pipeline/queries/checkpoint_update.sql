-- purpose:   move a partition's checkpoint to a new status after a job step
-- grain:     one row per partition
-- keys:      source, endpoint, partition_key
-- partition: partition_key
-- sources:   none
insert into ops.pipeline_checkpoints as checkpoint (
    source, endpoint, partition_key, status, last_run_id, attempts,
    items_total, items_failed, last_error, last_success_at
)
values (
    %(source)s, %(endpoint)s, %(partition_key)s, %(status)s, %(run_id)s, 1,
    coalesce(%(items_total)s, 0), coalesce(%(items_failed)s, 0), %(error)s,
    case when %(status)s = 'done' then now() end  -- constant only to the lint (a literal for the bound status) -- noqa: ST10
)
on conflict (source, endpoint, partition_key) do update set
    status = excluded.status,
    last_run_id = excluded.last_run_id,
    attempts = checkpoint.attempts + case when excluded.status = 'extracted' then 1 else 0 end,
    items_total = coalesce(%(items_total)s, checkpoint.items_total),
    items_failed = coalesce(%(items_failed)s, checkpoint.items_failed),
    last_error = excluded.last_error,
    last_success_at = coalesce(excluded.last_success_at, checkpoint.last_success_at),
    updated_at = now()
