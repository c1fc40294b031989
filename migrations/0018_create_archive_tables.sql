-- Creates the ledger of raw partitions archived to compressed files (and restored).
create table ops.archived_partitions (
    archive_id bigint generated always as identity primary key,
    table_name text not null,
    partition_name text not null,
    range_start date not null,
    range_end date not null,
    row_count bigint not null,
    rows_md5 text not null,
    file_path text not null,
    file_sha256 text not null,
    archived_at timestamptz not null default now(),
    restored_at timestamptz
);

create index archived_partitions_name_idx on ops.archived_partitions (partition_name, archived_at desc);
