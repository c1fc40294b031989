-- Adds the run modes restage and retry, and renames each source's watermark checkpoint from
-- the MLB endpoint name it borrowed ('schedule') to the source-neutral 'watermark'
-- (partition key 1970-01-01 as before).
update ops.pipeline_checkpoints
set endpoint = 'watermark'
where endpoint = 'schedule' and partition_key = date '1970-01-01';

alter table ops.pipeline_runs drop constraint pipeline_runs_mode_check;
alter table ops.pipeline_runs add constraint pipeline_runs_mode_check
    check (mode in ('backfill', 'incremental', 'lookback', 'rebuild', 'replay', 'restage', 'retry'));
