"""What the docs and the dbt export say about each raw, staging and curated table: its
columns and their descriptions (COMMENT ON), the SQL file that fills it and its header,
the quality checks that read it and their latest results, its freshness and lineage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pipeline import lineage, queries
from pipeline.sources import Source
from pipeline.sqlfiles import SqlFile


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    is_nullable: bool
    description: str


@dataclass(frozen=True)
class Check:
    sql_file: SqlFile
    result: dict | None  # latest results (quality_latest), none before the check first ran

    @property
    def name(self) -> str:
        return self.sql_file.name.rsplit("/", 1)[-1]


@dataclass
class TableDoc:
    name: str
    source: str
    description: str
    columns: list[Column]
    sql_file: SqlFile | None
    upstream: list[str]
    downstream: list[str]
    checks: list[Check] = field(default_factory=list)
    row_count: int | None = None
    newest_at: datetime | None = None

    @property
    def zone(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def header(self) -> dict[str, str]:
        return self.sql_file.header if self.sql_file else {}

    @property
    def sql_text(self) -> str:
        return self.sql_file.path.read_text() if self.sql_file else ""


def _time_column(columns: list[Column]) -> str | None:
    names = {column.name for column in columns}
    return next((name for name in ("updated_at", "last_seen_at") if name in names), None)


def build_catalog(conn, sources: list[Source]) -> tuple[list[TableDoc], lineage.Graph]:
    """Every table of the lineage graph that exists in the database, in lineage order."""
    graph = lineage.build(sources)
    cursor = queries.execute(conn, "catalog_columns")
    columns: dict[str, list[Column]] = {}
    descriptions: dict[str, str] = {}
    for table_name, column_name, data_type, is_nullable, description, table_description in cursor.fetchall():
        columns.setdefault(table_name, []).append(Column(column_name, data_type, is_nullable, description or ""))
        descriptions[table_name] = table_description or ""
    cursor = queries.execute(conn, "quality_latest")
    names = [column.name for column in cursor.description]
    results = {(row[0], row[1]): dict(zip(names, row)) for row in cursor.fetchall()}
    checks_by_source = {source.name: source.sql.files(f"quality/{source.name}/") for source in sources}
    docs = []
    for table in graph.ordered():
        if table.name not in columns:
            continue  # named in a header, not (yet) created by a migration
        doc = TableDoc(
            name=table.name, source=table.source,
            description=(table.sql_file.purpose if table.sql_file else "") or descriptions[table.name]
            or (f"the {table.name} responses as landed: one row per distinct version, payload as JSONB"
                if table.zone == "raw" else ""),
            columns=columns[table.name], sql_file=table.sql_file,
            upstream=graph.upstream(table.name), downstream=graph.downstream(table.name),
        )
        doc.checks = [Check(check, results.get((table.source, check.name.rsplit("/", 1)[-1])))
                      for check in checks_by_source.get(table.source, []) if table.name in check.names("sources")]
        schema, name = table.name.split(".", 1)
        doc.row_count, doc.newest_at = queries.execute(
            conn, "table_freshness", schema=schema, table=name, time_column=_time_column(doc.columns)).fetchone()
        docs.append(doc)
    return docs, graph
