{#- Macros shared by the SQL files. -#}
{#- "(a, b) is distinct from (c, d)" over a list of columns of two relations: the guard
    that keeps an unchanged row from being rewritten. -#}
{%- macro changed(columns, left, right) -%}
    ({% for column in columns %}{{ left }}.{{ column }}{{ ", " if not loop.last }}{% endfor %})
    is distinct from
    ({% for column in columns %}{{ right }}.{{ column }}{{ ", " if not loop.last }}{% endfor %})
{%- endmacro -%}
{#- Upsert `final` into a curated table keyed by `keys`, touching only changed rows, and
    delete the rows of the recomputed slice (`slice_column` = any(`slice_param`)) that the
    recompute no longer produces. Ends with one row: rows_written. -#}
{#- The CTE `upserted`: `final` inserted into `table` keyed by `keys`, an existing row
    updated only when one of `columns` changed; one row per row written. -#}
{%- macro upsert_changed(table, keys, columns) -%}
upserted as (
    insert into {{ table }} as target ({{ (keys + columns) | join(", ") }})
    select {{ (keys + columns) | join(", ") }}
    from final
    on conflict ({{ keys | join(", ") }}) do update set
        {%- for column in columns %}
        {{ column }} = excluded.{{ column }},
        {%- endfor %}
        updated_at = now()
    where {{ changed(columns, "target", "excluded") }}
    returning 1
)
{%- endmacro -%}
{%- macro refresh_slice(table, keys, columns, slice_column, slice_param, slice_type) -%}
{{ upsert_changed(table, keys, columns) }},

removed as (
    delete from {{ table }} as stale
    where
        stale.{{ slice_column }} = any(%({{ slice_param }})s::{{ slice_type }} [])
        and not exists (
            select 1 from final
            where {% for key in keys %}final.{{ key }} = stale.{{ key }}{{ " and " if not loop.last }}{% endfor %}
        )
    returning 1
)

select (select count(*) from upserted) + (select count(*) from removed) as rows_written
{%- endmacro -%}
{#- The quality gate every curated file applies to what it reads from staging: true when the
    game `game_pk` (played on `official_date`) may enter curated, i.e. no failed error check
    names that game (ops.quality_blocked_games) or blocks its whole date without naming a
    game (ops.quality_blocked_partitions). A test walks every curated file through it. -#}
{%- macro passes_quality_gate(source, game_pk, official_date) -%}
not exists (
            select 1 from ops.quality_blocked_games as blocked_game
            where blocked_game.source = '{{ source }}' and blocked_game.game_pk = {{ game_pk }}
        )
        and not exists (
            select 1 from ops.quality_blocked_partitions as blocked_date
            where blocked_date.source = '{{ source }}' and blocked_date.partition_key = {{ official_date }}
        )
{%- endmacro -%}
{#- True for a date `column` within the run's seasons: between %(season_start)s (1 January
    of the first) and %(season_end)s (31 December of the last), which the refresh passes
    beside %(seasons)s. Bounds the planner can see, so that a table partitioned on the
    column (the line tables, by year) is read only in those seasons' partitions: joined
    on the season alone, every season's lines were read, a cost that grew with the
    seasons held. -#}
{%- macro in_seasons(column) -%}
{{ column }} between %(season_start)s::date and %(season_end)s::date
{%- endmacro -%}
