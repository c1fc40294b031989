-- purpose:   retention: in raw.<table>, versions of dates older than the cutoff are
--            compacted to one per request key and date: the one staging reads (the latest
--            seen that is not quarantined); older history there is deleted
-- grain:     one row per remaining raw version
-- keys:      request_key, partition_date
-- partition: partition_date < cutoff
-- sources:   raw.<table>, ops.raw_quarantine
-- params:    table = mlb_boxscore
{%- set table = table if table is defined else "mlb_boxscore" %}
with ranked as (
    select
        versions.raw_id,
        versions.partition_date,
        row_number() over (
            partition by versions.request_key, versions.partition_date
            order by (refused.raw_id is not null) asc, versions.last_seen_at desc, versions.raw_id desc
        ) as recency
    from raw.{{ table | ident }} as versions
    left join ops.raw_quarantine as refused
        on refused.table_name = '{{ table }}' and versions.raw_id = refused.raw_id
    where versions.partition_date < %(cutoff)s
)

delete from raw.{{ table | ident }} as target
using ranked
where
    target.raw_id = ranked.raw_id
    and target.partition_date = ranked.partition_date
    and target.partition_date < %(cutoff)s
    and ranked.recency > 1
