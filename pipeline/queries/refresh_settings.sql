-- purpose:   the settings of a curated refresh, for the rest of the current transaction:
--            no JIT compilation (wide statements run once, where compiling costs more
--            than it saves), and at least 32 MB of work_mem (a season's feature files
--            sort 70-180k rows per step, which spilled to disk at the default 4 MB; the
--            five largest files took 0.92, 1.00 and 0.97 of their time at 4 MB in three
--            runs of bench/first_load.py, no less at 64 MB); a server set higher keeps its own value
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
