"""Point-in-time player features: what the feature sets are (read from the headers of the
curated files that fill them), what the tables hold, and streaming them out of Postgres
as training sets or as-of snapshots (COPY ... TO STDOUT, no row held in Python).

A feature set is a curated SQL file whose header names it (`-- feature_set: batting`) and
its version (`-- version: 1`); its table keys every row by `feature_set_version`, so a new
definition is a new version whose rows sit beside the old ones until those are dropped
on purpose. The as-of rule: a row as of date D uses only games with official_date < D.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO

from pipeline import quality, queries
from pipeline.db import share_among
from pipeline.errors import PipelineError
from pipeline.sources import Source

FORMATS = ("csv", "jsonl")
# the columns of a feature table that are not features: its keys and bookkeeping
NOT_FEATURES = {"feature_set_version", "as_of_date", "player_id", "season", "team_id", "scoring_system",
                "updated_at"}
# the order the sets appear in an export; the fantasy set drives it (one row per player,
# scoring system and as-of date)
EXPORT_ORDER = ("context", "batting", "pitching", "fantasy")
_FILE_VERSION = re.compile(r"\{%-?\s*set\s+version\s*=\s*(\d+)\s*%\}")


@dataclass(frozen=True)
class FeatureSet:
    name: str  # batting
    version: int  # the version the SQL file computes now
    sql_file: str  # curated/mlb/features_batting
    table: str  # curated.mlb_features_batting

    @property
    def table_name(self) -> str:
        return self.table.split(".", 1)[1]


def feature_sets(source: Source) -> list[FeatureSet]:
    """The source's feature sets: its curated files with a `feature_set:` header."""
    found = []
    for sql_file in source.sql.files(f"curated/{source.name}/"):
        name = sql_file.header.get("feature_set")
        if not name:
            continue
        version = sql_file.header.get("version", "").split(" ")[0]
        computed = _FILE_VERSION.search(sql_file.path.read_text())
        if not version.isdigit() or not computed or int(computed.group(1)) != int(version):
            raise PipelineError(f"{sql_file.name}: the header's '-- version: N' must equal the file's "
                                "'{% set version = N %}'")
        table = sql_file.name.split("/", 2)
        found.append(FeatureSet(name, int(version), sql_file.name, f"curated.{table[1]}_{table[2]}"))
    return sorted(found, key=lambda feature_set: feature_set.name)


def current_versions(source: Source) -> dict[str, int]:
    return {feature_set.name: feature_set.version for feature_set in feature_sets(source)}


def feature_columns(conn, feature_set: FeatureSet) -> list[str]:
    """The feature columns of a set's table, in table order."""
    rows = queries.execute(conn, "feature_table_columns", {"table_name": feature_set.table_name}).fetchall()
    return [name for (name,) in rows if name not in NOT_FEATURES]


@dataclass(frozen=True)
class SetVersion:
    feature_set: FeatureSet
    version: int
    rows: int
    first_as_of_date: date | None
    last_as_of_date: date | None

    @property
    def is_current(self) -> bool:
        return self.version == self.feature_set.version


def list_versions(conn, source: Source) -> list[SetVersion]:
    """Every version each feature table holds (and the current one, even when empty)."""
    out = []
    for feature_set in feature_sets(source):
        schema, name = feature_set.table.split(".")
        held = queries.execute(conn, "feature_table_versions", schema_name=schema, table_name=name).fetchall()
        versions = {version: (rows, first, last) for version, rows, first, last in held}
        versions.setdefault(feature_set.version, (0, None, None))
        out += [SetVersion(feature_set, version, *versions[version]) for version in sorted(versions)]
    return out


def header_line(source: Source, fmt: str) -> str:
    """The first line of an export: the feature-set versions it holds and the as-of rule."""
    versions = current_versions(source)
    if fmt == "jsonl":
        return json.dumps({"feature_sets": versions,
                           "as_of": "features of a row dated D use only games with official_date < D"}) + "\n"
    sets = ", ".join(f"{name} v{version}" for name, version in versions.items())
    return f"# feature sets: {sets}; as of D: only games with official_date < D\n"


def copy_features(conn, source: Source, out: IO[bytes], start: date, end: date, *, labels: bool,
                  scoring_system: str | None = None, fmt: str = "csv") -> int:
    """Stream the features as of every date of [start, end] to `out` (bytes), with a
    header line; with `labels`, one row per player-game and its fantasy points. Returns
    the rows written (not counting the header lines)."""
    if fmt not in FORMATS:
        raise PipelineError(f"unknown format {fmt!r}: choose {' or '.join(FORMATS)}")
    if end < start:
        raise PipelineError(f"the end date {end} is before the start date {start}")
    sets = {feature_set.name: feature_set for feature_set in feature_sets(source)}
    missing = [name for name in EXPORT_ORDER if name not in sets]
    if missing:
        raise PipelineError(f"the source {source.name} has no feature set {', '.join(missing)}")
    if scoring_system is not None and not queries.execute(conn, "fantasy_scoring_exists",
                                                          {"scoring_system": scoring_system}).fetchone()[0]:
        raise PipelineError(f"no scoring system {scoring_system!r} in curated.fantasy_scoring")
    columns = [f"{name}.{column}" for name in EXPORT_ORDER for column in feature_columns(conn, sets[name])]
    statement = source.queries.render("feature_rows_copy", feature_columns=columns, labels=labels, format=fmt)
    params = {f"{name}_version": sets[name].version for name in EXPORT_ORDER}
    params |= {"start_date": start, "end_date": end, "scoring_system": scoring_system}
    out.write(header_line(source, fmt).encode())
    written = 0
    with conn.cursor() as cursor:
        with cursor.copy(statement, params) as copy:
            for chunk in copy:
                out.write(chunk)
        written = cursor.rowcount
    return max(written, 0)


def feature_checks(source: Source) -> list[quality.Check]:
    """The checks of `quality/features/<source>/`: they read the feature tables, so they
    run after the curated refresh (not in the transform job, before it). Each is `warn`:
    its result is recorded, and a failure blocks nothing (a failed `error` result would
    block its date's staging partition from curated, which is not what these find)."""
    found = []
    for sql_file in source.sql.files(f"quality/features/{source.name}/"):
        severity = sql_file.header.get("severity", "").split(" ")[0]
        threshold = sql_file.header.get("threshold", "").split(" ")[0]
        if severity != "warn" or not threshold:
            raise PipelineError(f"{sql_file.name}: a feature check's header needs '-- severity: warn' "
                                "and '-- threshold: N'")
        found.append(quality.Check(sql_file.name, severity, Decimal(threshold)))
    return found


async def feature_check_outputs(conns: list, source: Source, dates: list[date], seasons: list[int]) -> list[tuple]:
    """Run the feature checks over the rows a curated refresh recomputed, shared among
    `conns` and run at once (each check is one wide read); their outputs, in check order,
    for `record_feature_checks`."""
    if not dates:
        return []
    checks = feature_checks(source)
    outputs: list[tuple] = [()] * len(checks)

    async def run(conn, index: int) -> None:
        cursor = await source.sql.execute_async(conn, checks[index].name, {
            "dates": dates, "seasons": seasons, "threshold": checks[index].threshold})
        outputs[index] = (checks[index], *await cursor.fetchone())

    await share_among(conns, range(len(checks)), run)
    return outputs


async def record_feature_checks(conn, source: Source, dates: list[date], run_id: int | None,
                                outputs: list[tuple]) -> list[quality.CheckResult]:
    """Record the feature checks' outputs in ops.data_quality_checks, under the earliest
    date refreshed, each named `features_<check>`."""
    if not dates:
        return []
    return await quality.record_results(conn, source.name, min(dates), run_id, outputs, prefix="features_")


async def run_feature_checks(conn, source: Source, dates: list[date], seasons: list[int],
                             run_id: int | None) -> list[quality.CheckResult]:
    """Check the feature rows a curated refresh recomputed and record the results."""
    outputs = await feature_check_outputs([conn], source, dates, seasons)
    return await record_feature_checks(conn, source, dates, run_id, outputs)
