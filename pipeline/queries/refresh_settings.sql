-- purpose:   the settings of a curated refresh, for the rest of the current transaction:
--            no JIT compilation (wide statements run once, where compiling costs more
--            than it saves), and at least 32 MB of work_mem (a season's feature files
--            sort 70-180k rows per step; with the default 4 MB those sorts spilled to disk:
--            the five largest files took 10.3 s of CPU at 4 MB, 9.4 s at 32 MB, no less at 64 MB;
--            a server set higher keeps its own value)
-- grain:     none
-- keys:      none
-- partition: none
-- sources:   none
select
    set_config('jit', 'off', true) as jit,
    set_config(
        'work_mem',
        (greatest(pg_size_bytes(current_setting('work_mem')), pg_size_bytes('32MB')) / 1024)::text || 'kB',
        true
    ) as work_mem
