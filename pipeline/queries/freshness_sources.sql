-- purpose:   per source: the watermark, when the newest final game reached staging and
--            its age in seconds (data freshness), as epoch seconds
-- grain:     one row per source with a watermark or a final game
-- keys:      source
-- partition: none
-- sources:   ops.pipeline_checkpoints, staging.mlb_games
with watermarks as (
    select
        source,
        max(watermark) as watermark
    from ops.pipeline_checkpoints
    where endpoint = 'watermark'
    group by source
),

final_games as (
    select
        'mlb' as source,
        max(updated_at) as newest_final_at,
        max(official_date) as newest_final_date
    from staging.mlb_games
    where abstract_state = 'Final'
    having count(*) > 0
)

select
    coalesce(final_games.source, watermarks.source) as source,
    extract(epoch from watermarks.watermark)::double precision as watermark,
    extract(epoch from final_games.newest_final_at)::double precision as newest_final_at,
    final_games.newest_final_date,
    extract(epoch from now() - final_games.newest_final_at)::double precision as freshness_seconds
from final_games
full outer join watermarks on final_games.source = watermarks.source
