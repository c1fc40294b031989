-- Adds to each run the dates and seasons whose curated rows its aggregate recomputed.
alter table ops.pipeline_runs
    add column curated_dates date [],
    add column curated_seasons integer [];
