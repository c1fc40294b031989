-- purpose:   move a source's incremental watermark to the date its run reached, only
--            when the run succeeded (runs in the transaction that closes the run)
-- grain:     one row per source (endpoint 'watermark', partition_key 1970-01-01: source-wide)
-- keys:      source, endpoint, partition_key
-- partition: none
-- sources:   ops.pipeline_runs
insert into ops.pipeline_checkpoints as checkpoint (
    source, endpoint, partition_key, status, watermark, last_run_id, last_success_at
)
select
    run.source,
    'watermark',
    date '1970-01-01',
    'done',
    (run.params ->> 'today')::date::timestamptz,
    run.run_id,
    now()
from ops.pipeline_runs as run
where run.run_id = %(run_id)s and run.status = 'succeeded' and run.mode = 'incremental'
on conflict (source, endpoint, partition_key) do update set
    watermark = greatest(checkpoint.watermark, excluded.watermark),
    last_run_id = excluded.last_run_id,
    last_success_at = excluded.last_success_at,
    updated_at = now()
