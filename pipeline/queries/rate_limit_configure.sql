-- purpose:   create a source's token bucket, or change its rate and burst (full at first)
-- grain:     one row per source
-- keys:      source
-- partition: none
-- sources:   none
insert into ops.rate_limits as bucket (source, rate_per_second, burst, tokens)
values (%(source)s, %(rate_per_second)s, %(burst)s, %(burst)s)
on conflict (source) do update set
    rate_per_second = excluded.rate_per_second,
    burst = excluded.burst
where
    bucket.rate_per_second is distinct from excluded.rate_per_second
    or bucket.burst is distinct from excluded.burst
