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

-- per version: the rules evaluated on its payload, decompressed once (`payload || '{}'` is
-- the same object, landing takes objects only, held in memory: read from the table, each
-- rule would decompress it again) and aggregated per version (no row per version and rule
-- carrying the document into a sort)
checked as (
    select
        unstamped.raw_id,
        unstamped.request_key,
        unstamped.partition_date,
        matched.key_paths,
        matched.missing_paths,
        matched.violations,
        repeated.repeats
    from unstamped
    cross join lateral (
        -- (the noqa: sqlfluff's postgres grammar has no `offset` in a select without `from`)
        select unstamped.payload || '{}'::jsonb as document
        offset 0  -- one value per version, not one decompression per reference -- noqa: PRS
    ) as detoasted
    cross join lateral (
        select
            coalesce(
                array_agg(evaluated.rule_path order by evaluated.rule_path)
                    filter (where evaluated.rule_kind in ('shape', 'required') and evaluated.is_matched),
                '{}'
            ) as key_paths,
            array_agg(evaluated.rule_path order by evaluated.rule_path)
                filter (where evaluated.rule_kind = 'required' and not evaluated.is_matched) as missing_paths,
            array_agg(evaluated.reason order by evaluated.reason)
                filter (where evaluated.rule_kind = 'violation' and evaluated.is_matched) as violations
        from (
            select
                rules.rule_path,
                rules.rule_kind,
                rules.reason,
                jsonb_path_exists(detoasted.document, rules.rule_path::jsonpath) as is_matched
            from rules
        ) as evaluated
    ) as matched
    cross join lateral (
        {%- if unique_path %}
        select count(*) - count(distinct found.value) as repeats
        from jsonb_path_query(detoasted.document, '{{ unique_path }}') as found (value)
        {%- else %}
        select 0 as repeats
        {%- endif %}
    ) as repeated
),

fingerprinted as (
    select
        raw_id,
        request_key,
        partition_date,
        key_paths,
        md5(array_to_string(key_paths, '|')) as fingerprint,
        nullif(concat_ws('; ',
            'missing required field(s): ' || array_to_string(missing_paths, ', '),
            array_to_string(violations, '; '),
            case when repeats > 0
                then format('%%s repeated value(s) of {{ unique_path }}', repeats) end
        ), '') as reason
    from checked
),

new_versions as (
    insert into ops.raw_schema_versions (table_name, fingerprint, key_paths, first_raw_id, sample)
    select distinct on (fingerprinted.fingerprint)
        '{{ table }}',
        fingerprinted.fingerprint,
        fingerprinted.key_paths,
        fingerprinted.raw_id,
        sampled.payload
    from fingerprinted
    inner join raw.{{ table | ident }} as sampled
        on sampled.raw_id = fingerprinted.raw_id and sampled.partition_date = %(partition_date)s
    where not exists (
        select 1 from ops.raw_schema_versions as known
        where known.table_name = '{{ table }}' and known.fingerprint = fingerprinted.fingerprint
    )
    order by fingerprinted.fingerprint, fingerprinted.raw_id
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
