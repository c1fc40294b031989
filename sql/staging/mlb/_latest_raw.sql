{#- Import CTE shared by the staging files: the latest version of every request landed in
    raw.<table> for one partition date (the version most recently seen wins). Versions in
    ops.raw_quarantine (a payload missing required fields) are skipped: the previous good
    version of the request, if any, stays in use. -#}
{%- macro latest_raw(table) -%}
    select distinct on (request_key)
        raw_id,
        request_params,
        payload
    from raw.{{ table | ident }}
    where
        partition_date = %(partition_date)s
        and not exists (
            select 1 from ops.raw_quarantine as refused
            where refused.table_name = '{{ table }}' and refused.raw_id = raw.{{ table | ident }}.raw_id
        )
    order by request_key asc, last_seen_at desc, raw_id desc
{%- endmacro -%}
