"""Data-quality gates: the raw shape checks before staging and the SQL checks after it.

Checks are the files under sql/quality/<source>/; each header states its severity
(`error` blocks the partition from curated, `warn` does not) and its threshold. A check
returns one row (rows checked, rows failing, metric, failing keys, details); it passes when
its metric is at most the threshold. Results go to ops.data_quality_checks; the keys a
failed error check names are listed in ops.quarantined_rows (kept in staging, flagged).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from psycopg.types.json import Jsonb

from pipeline import queries
from pipeline.errors import PipelineError
from pipeline.sources import Source


@dataclass(frozen=True)
class Check:
    name: str  # the SQL file, e.g. quality/mlb/value_ranges
    severity: str
    threshold: Decimal

    @property
    def check_name(self) -> str:
        return self.name.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class CheckResult:
    check: Check
    rows_checked: int
    rows_failing: int
    metric_value: Decimal | None
    passed: bool
    rows_quarantined: int
    check_result_id: int | None = None


_CHECKS: dict[tuple[str, str], tuple[Check, ...]] = {}


def checks(source: Source) -> tuple[Check, ...]:
    """The checks of a source, from the headers of its quality/<source>/*.sql. Read once a
    process (like the Jinja templates): every transform job asks, and the tree does not change."""
    key = (str(source.sql.root), source.name)
    if key not in _CHECKS:
        _CHECKS[key] = _read_checks(source)
    return _CHECKS[key]


def _read_checks(source: Source) -> tuple[Check, ...]:
    found = []
    for sql_file in source.sql.files(f"quality/{source.name}/"):
        severity = sql_file.header.get("severity", "").split(" ")[0]
        threshold = sql_file.header.get("threshold", "").split(" ")[0]
        if severity not in ("error", "warn") or not threshold:
            raise PipelineError(f"{sql_file.name}: the header needs '-- severity: error|warn' and '-- threshold: N'")
        found.append(Check(sql_file.name, severity, Decimal(threshold)))
    return tuple(found)


async def validate_raw(conn, source: Source, endpoint: str, partition_date: date) -> None:
    """Fingerprint the partition's new raw versions and quarantine malformed ones."""
    for name in source.raw_shapes.get(endpoint, ()):
        await source.queries.execute_async(conn, name, {"partition_date": partition_date})


async def run_checks(conn, source: Source, partition_date: date, run_id: int | None) -> list[CheckResult]:
    """Run every check of `source` on one date partition and record the results. An error
    check that failed here last time and whose file is gone since gets a passing result
    saying so: a removed check no longer holds the date back."""
    outputs = []
    for check in checks(source):
        cursor = await source.sql.execute_async(conn, check.name, {
            "partition_date": partition_date, "threshold": check.threshold,
        })
        outputs.append((check, *await cursor.fetchone()))
    cursor = await queries.execute_async(conn, "quality_failing_checks", {
        "source": source.name, "partition_key": partition_date})
    current = {check.check_name for check in checks(source)}
    for (check_name,) in await cursor.fetchall():
        if check_name not in current:
            retired = Check(f"quality/{source.name}/{check_name}", "error", Decimal(0))
            outputs.append((retired, 0, 0, None, [], {"retired": "the check's file is gone"}))
    return await record_results(conn, source.name, partition_date, run_id, outputs)


async def record_results(conn, source_name: str, partition_key: date, run_id: int | None,
                         outputs: list[tuple], *, prefix: str = "") -> list[CheckResult]:
    """Record checks' outputs (check, rows_checked, rows_failing, metric, failing_keys,
    details) under one partition, in one statement, each named `prefix` + its check name;
    the results, in the same order."""
    if not outputs:
        return []
    passed = [metric is None or Decimal(metric) <= check.threshold for check, _, _, metric, _, _ in outputs]
    cursor = await queries.execute_async(conn, "quality_record_checks", {
        "run_id": run_id, "source": source_name, "partition_key": partition_key,
        "check_names": [prefix + check.check_name for check, *_ in outputs],
        "severities": [check.severity for check, *_ in outputs],
        "rows_checked": [rows_checked for _, rows_checked, *_ in outputs],
        "rows_failing": [rows_failing for _, _, rows_failing, *_ in outputs],
        "metric_values": [None if metric is None else Decimal(metric) for _, _, _, metric, _, _ in outputs],
        "thresholds": [check.threshold for check, *_ in outputs],
        "passed": passed,
        "failing_keys": [Jsonb(failing_keys) for *_, failing_keys, _ in outputs],
        "details": [Jsonb(details) for *_, details in outputs],
    })
    recorded = await cursor.fetchall()
    return [CheckResult(check, rows_checked, rows_failing, metric, ok, quarantined, result_id)
            for (check, rows_checked, rows_failing, metric, _, _), ok, (result_id, quarantined)
            in zip(outputs, passed, recorded)]


async def owe_curated_refresh(conn, source: Source, partition_date: date, run_id: int | None, rows_written: int,
                              results: list[CheckResult]) -> None:
    """Mark a date of a dated endpoint as owed a curated refresh (ops.curated_pending) when
    staging rows were written, or when `results` (just recorded) moved the gate: an error
    check fails, or failed the time before. The next aggregate of the source refreshes it."""
    await queries.execute_async(conn, "curated_pending_mark", {
        "source": source.name, "partition_date": partition_date, "run_id": run_id, "rows_written": rows_written,
        "check_result_ids": [result.check_result_id for result in results if result.check_result_id is not None]})


async def check_partition(conn, source: Source, endpoint: str, partition_date: date,
                          run_id: int | None) -> list[CheckResult]:
    """The quality step of a transform job (inside its transaction), for checked endpoints."""
    if endpoint not in source.checked_endpoints:
        return []
    return await run_checks(conn, source, partition_date, run_id)
