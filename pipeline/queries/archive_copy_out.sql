-- purpose:   stream a detached raw partition out (COPY text format) in raw_id order
-- grain:     one line per raw version
-- keys:      raw_id
-- partition: the partition named
-- sources:   raw.<partition>
{%- set partition = partition if partition is defined else "mlb_boxscore_default" %}
{%- set columns = columns if columns is defined else ["raw_id"] %}
copy (
    select {{ columns | map("ident") | join(", ") }}
    from raw.{{ partition | ident }}
    order by raw_id
) to stdout
