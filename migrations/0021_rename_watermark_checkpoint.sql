-- Rename each source's watermark checkpoint from the MLB endpoint name it borrowed
-- ('schedule') to the source-neutral 'watermark' (partition key 1970-01-01 as before).
update ops.pipeline_checkpoints
set endpoint = 'watermark'
where endpoint = 'schedule' and partition_key = date '1970-01-01';
