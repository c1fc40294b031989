-- purpose:   the first date an incremental run must read: the watermark (else the last
--            date a backfill finished) minus the overlap for late games, pulled back to
--            any game still in progress in the last 30 days
-- grain:     one row
-- keys:      none
-- partition: none
-- sources:   ops.pipeline_checkpoints, staging.mlb_games
with watermark as (
    select max(watermark)::date as reached
    from ops.pipeline_checkpoints
    where source = %(source)s and endpoint = 'watermark' and partition_key = date '1970-01-01'
),

backfilled as (
    select max(partition_key) as reached
    from ops.pipeline_checkpoints
    where
        source = %(source)s and endpoint = 'games' and status = 'done'
        and partition_key <= %(today)s
),

unfinished as (
    select min(official_date) as first_live
    from staging.mlb_games
    where
        abstract_state = 'Live'
        and official_date between %(today)s::date - 30 and %(today)s
)

select
    least(
        coalesce(watermark.reached, backfilled.reached, %(today)s) - %(overlap_days)s::integer,
        coalesce(unfinished.first_live, %(today)s),
        %(today)s
    ) as start_date,
    watermark.reached as watermark
from watermark
cross join backfilled
cross join unfinished
