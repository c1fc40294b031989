{#- Import CTE shared by the staging files: the latest version of every request landed in
    raw.<table> for one partition date (the version most recently seen wins). -#}
{%- macro latest_raw(table) -%}
    select distinct on (request_key)
        raw_id,
        request_params,
        payload
    from raw.{{ table | ident }}
    where partition_date = %(partition_date)s
    order by request_key asc, last_seen_at desc, raw_id desc
{%- endmacro -%}
