{#- Schema fingerprint and validation of the raw versions of one table for one partition
    date, shared by each source's queries/raw_shape_<endpoint>.sql. Each rule is
    (path, kind, reason): a jsonpath and what it means:
      shape     optional: whether it is present goes into the fingerprint
      required  must be present (it is in the fingerprint too); missing: quarantined
      violation must match nothing (e.g. a player without an id); matching: quarantined
    `unique_path` (optional) yields values that must not repeat within a payload.
    Only versions not yet stamped are read, so each payload is fingerprinted once. Extra
    fields the rules do not name change nothing: they are accepted. -#}
{%- macro raw_shape(table, rules, unique_path=none) -%}
with unstamped as (
    select
        raw_id,
        request_key,
        partition_date,
        payload
    from raw.{{ table | ident }}
    where partition_date = %(partition_date)s and schema_version is null
),

rules (rule_path, rule_kind, reason) as (
    values
    {%- for path, kind, reason in rules %}
        ('{{ path }}', '{{ kind }}', '{{ reason }}'){{ "," if not loop.last }}
    {%- endfor %}
),

evaluated as (
    select
        unstamped.raw_id,
        rules.rule_path,
        rules.rule_kind,
        rules.reason,
        jsonb_path_exists(unstamped.payload, rules.rule_path::jsonpath) as is_matched
    from unstamped
    cross join rules
),

checked as (
    select
        raw_id,
        coalesce(
            array_agg(rule_path order by rule_path)
                filter (where rule_kind in ('shape', 'required') and is_matched),
            '{}'
        ) as key_paths,
        array_agg(rule_path order by rule_path)
            filter (where rule_kind = 'required' and not is_matched) as missing_paths,
        array_agg(reason order by reason)
            filter (where rule_kind = 'violation' and is_matched) as violations
    from evaluated
    group by raw_id
),

repeated as (
    select
        unstamped.raw_id,
        {%- if unique_path %}
        (
            select count(*) - count(distinct found.value)
            from jsonb_path_query(unstamped.payload, '{{ unique_path }}') as found (value)
        ) as repeats
        {%- else %}
        0 as repeats
        {%- endif %}
    from unstamped
),

fingerprinted as (
    select
        unstamped.raw_id,
        unstamped.request_key,
        unstamped.partition_date,
        unstamped.payload,
        checked.key_paths,
        md5(array_to_string(checked.key_paths, '|')) as fingerprint,
        nullif(concat_ws('; ',
            'missing required field(s): ' || array_to_string(checked.missing_paths, ', '),
            array_to_string(checked.violations, '; '),
            case when repeated.repeats > 0
                then format('%%s repeated value(s) of {{ unique_path }}', repeated.repeats) end
        ), '') as reason
    from unstamped
    inner join checked on unstamped.raw_id = checked.raw_id
    inner join repeated on unstamped.raw_id = repeated.raw_id
),

new_versions as (
    insert into ops.raw_schema_versions (table_name, fingerprint, key_paths, first_raw_id, sample)
    select distinct on (fingerprint)
        '{{ table }}',
        fingerprint,
        key_paths,
        raw_id,
        payload
    from fingerprinted
    where not exists (
        select 1 from ops.raw_schema_versions as known
        where known.table_name = '{{ table }}' and known.fingerprint = fingerprinted.fingerprint
    )
    order by fingerprint, raw_id
    on conflict (table_name, fingerprint) do nothing
    returning fingerprint, schema_version
),

versions as (
    select
        fingerprint,
        schema_version
    from ops.raw_schema_versions
    where table_name = '{{ table }}'
    union all
    select
        fingerprint,
        schema_version
    from new_versions
),

stamped as (
    update raw.{{ table | ident }} as target
    set schema_version = versions.schema_version
    from fingerprinted
    inner join versions on fingerprinted.fingerprint = versions.fingerprint
    where
        target.raw_id = fingerprinted.raw_id
        and target.partition_date = %(partition_date)s
    returning target.raw_id
),

quarantined as (
    insert into ops.raw_quarantine (
        table_name, raw_id, partition_date, request_key, schema_version, reason
    )
    select
        '{{ table }}',
        fingerprinted.raw_id,
        fingerprinted.partition_date,
        fingerprinted.request_key,
        versions.schema_version,
        fingerprinted.reason
    from fingerprinted
    left join versions on fingerprinted.fingerprint = versions.fingerprint
    where fingerprinted.reason is not null
    on conflict (table_name, raw_id) do nothing
    returning raw_id
)

select
    (select count(*) from stamped) as versions_stamped,
    (select count(*) from new_versions) as new_schema_versions,
    (select count(*) from quarantined) as versions_quarantined
{%- endmacro -%}
