-- purpose:   no JIT compilation for the rest of the current transaction (the curated
--            refresh: wide statements run once, where compiling costs more than it saves)
-- grain:     none
-- keys:      none
-- partition: none
-- sources:   none
select set_config('jit', 'off', true) as jit
