-- purpose:   how big a raw table's payloads are: as JSON text, as uncompressed JSONB, as
--            stored (TOAST-compressed), and which compression method stored them
-- grain:     one row per table
-- keys:      none
-- partition: none
-- sources:   raw.<table>
-- params:    table = mlb_boxscore
{%- set table = table if table is defined else "mlb_boxscore" %}
select
    count(*) as payloads,
    sum(octet_length(payload::text)) as text_bytes,
    -- concatenation yields a fresh, uncompressed value: the baseline size
    sum(pg_column_size(payload || '{}'::jsonb)) as jsonb_bytes,
    sum(pg_column_size(payload)) as stored_bytes,
    string_agg(distinct coalesce(pg_column_compression(payload), 'none'), ',') as methods
from raw.{{ table | ident }}
