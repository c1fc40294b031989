-- Records on each run the source it read: its base URL (without any user:password part) and,
-- for the simulator, its identity (seed and season), so that a backfill against another
-- source than the data already landed can say so and stop.
alter table ops.pipeline_runs
    add column source_url text,
    add column source_identity jsonb;
