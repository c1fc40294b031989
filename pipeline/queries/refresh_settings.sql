-- purpose:   the settings of a curated refresh, for the rest of the current transaction:
--            no JIT compilation (wide statements run once, where compiling costs more
--            than it saves), and at least 32 MB of work_mem: a season's feature files
--            sort 70-180k rows a step, and at the default 4 MB features_fantasy alone
--            wrote four sorts (23 MB) to disk; at 32 MB none. Time saved on this machine,
--            whose temporary files stay in the page cache: none beyond its noise
--            (bench/first_load.py). A server set higher keeps its own value.
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
