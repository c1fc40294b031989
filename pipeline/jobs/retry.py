"""How procrastinate retries the pipeline's jobs.

A failure is retried with exponential backoff, JOB_ATTEMPTS times. A job that met
the source's open circuit breaker did not fail: it is retried when the cool-down ends
(the wait the breaker gave), and those waits do not use up its attempts. job_step counts
them from ops.job_log and writes the count on the exception (`breaker_waits`) before it
reaches the strategy.
"""

from __future__ import annotations

import random

import procrastinate
from procrastinate.retry import RetryDecision

from pipeline.breaker import SourceUnavailable

JOB_ATTEMPTS = 3
# a job sits out this many cool-downs (~2 minutes with the default 10 s) before it
# fails: long enough for a blip, short enough that a dead API fails the run; a later
# run resumes what is left
MAX_BREAKER_WAITS = 10


class PipelineRetry(procrastinate.BaseRetryStrategy):
    def __init__(self, max_attempts: int = JOB_ATTEMPTS, wait: float = 1.0, exponential_wait: float = 2.0) -> None:
        self.max_attempts = max_attempts
        self.wait = wait
        self.exponential_wait = exponential_wait

    def retry_in(self, exception: BaseException, attempts: int) -> float | None:
        """Seconds until the next attempt, or None when the job has used its attempts.
        `attempts` counts the earlier runs of the job, as procrastinate does."""
        breaker_waits = getattr(exception, "breaker_waits", 0)
        if isinstance(exception, SourceUnavailable):
            if breaker_waits > MAX_BREAKER_WAITS:
                return None
            return exception.wait_seconds + random.uniform(0, 0.5)  # jitter: not all at once
        failures = attempts - breaker_waits
        if failures >= self.max_attempts:
            return None
        return self.wait + self.exponential_wait ** (failures + 1)

    def get_retry_decision(self, *, exception: BaseException, job) -> RetryDecision | None:
        seconds = self.retry_in(exception, job.attempts)
        return None if seconds is None else RetryDecision(retry_in={"seconds": seconds})
