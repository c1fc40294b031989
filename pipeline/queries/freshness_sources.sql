-- purpose:   per source: the watermark, when the newest final game reached staging and
--            its age in seconds (data freshness), as epoch seconds. What counts as a final
--            game is the source's own query (`freshness_newest`); its answers come in as
--            arrays, one element per source (pipeline/observe/freshness.py)
-- grain:     one row per source with a watermark or a final game
-- keys:      source
-- partition: none
-- sources:   ops.pipeline_checkpoints
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
        source,
        newest_final_at,
        newest_final_date
    from unnest(
        %(final_sources)s::text[], %(newest_final_at)s::timestamptz[], %(newest_final_date)s::date[]
    ) as final_game (source, newest_final_at, newest_final_date)
)

select
    coalesce(final_games.source, watermarks.source) as source,
    extract(epoch from watermarks.watermark)::double precision as watermark,
    extract(epoch from final_games.newest_final_at)::double precision as newest_final_at,
    final_games.newest_final_date,
    extract(epoch from now() - final_games.newest_final_at)::double precision as freshness_seconds
from final_games
full outer join watermarks on final_games.source = watermarks.source
