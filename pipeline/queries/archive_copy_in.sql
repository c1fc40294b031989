-- purpose:   stream an archived partition's rows back into its re-created partition
-- grain:     one line per raw version
-- keys:      raw_id
-- partition: the partition named
-- sources:   the archive file
{%- set partition = partition if partition is defined else "mlb_boxscore_default" %}
{%- set columns = columns if columns is defined else ["raw_id"] %}
copy raw.{{ partition | ident }} ({{ columns | map("ident") | join(", ") }}) from stdin
