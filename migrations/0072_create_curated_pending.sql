-- Creates ops.curated_pending: the dates whose curated rows are owed a refresh. A transform
-- marks its date when it wrote staging rows or when the quality gate on the date moved (an
-- error check fails now, or its previous result failed); the next aggregate of the source
-- refreshes every marked date, whatever run marked it, and clears exactly the marks it
-- read once its refresh committed. A date a failed aggregate left behind stays marked.
-- `version` changes at every mark, so a mark made after an aggregate read the table
-- survives that aggregate's clearing.
create sequence ops.curated_pending_version;

create table ops.curated_pending (
    source text not null,
    partition_date date not null,
    version bigint not null default nextval('ops.curated_pending_version'),
    run_id bigint references ops.pipeline_runs (run_id) on delete set null,
    marked_at timestamptz not null default now(),
    primary key (source, partition_date)
);

comment on table ops.curated_pending is
    'Dates whose curated rows are owed a refresh (staging changed or the quality gate moved); the next aggregate of the source refreshes and clears them.';

grant select on ops.curated_pending to pipeline_analyst;
