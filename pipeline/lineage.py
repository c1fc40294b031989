"""Lineage raw → staging → curated, drawn from the SQL files' headers: each staging or
curated file fills the table its path names and reads the tables its `sources:` (and
`depends:`) header lists. Nothing is declared twice: a new file is in the graph at once."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.sources import Source
from pipeline.sqlfiles import SqlFile
from pipeline.stage import target_table

ZONES = ("raw", "staging", "curated")


@dataclass(frozen=True)
class Table:
    name: str  # schema-qualified: staging.mlb_games
    source: str
    sql_file: SqlFile | None = None  # the file that fills it (none for raw and seed tables)

    @property
    def zone(self) -> str:
        return self.name.split(".", 1)[0]


@dataclass
class Graph:
    tables: dict[str, Table] = field(default_factory=dict)
    edges: set[tuple[str, str]] = field(default_factory=set)  # (upstream, downstream)

    def upstream(self, name: str) -> list[str]:
        return sorted(up for up, down in self.edges if down == name)

    def downstream(self, name: str) -> list[str]:
        return sorted(down for up, down in self.edges if up == name)

    def ordered(self) -> list[Table]:
        """Tables by zone (raw, staging, curated), then name."""
        return sorted(self.tables.values(), key=lambda table: (ZONES.index(table.zone), table.name))

    def mermaid(self) -> str:
        lines = ["flowchart LR"]
        for zone in ZONES:
            members = [table for table in self.ordered() if table.zone == zone]
            if members:
                lines.append(f"    subgraph {zone}")
                lines += [f"        {_node_id(table.name)}[\"{table.name}\"]" for table in members]
                lines.append("    end")
        lines += [f"    {_node_id(up)} --> {_node_id(down)}" for up, down in sorted(self.edges)]
        return "\n".join(lines)

    def dot(self) -> str:
        lines = ["digraph lineage {", "    rankdir=LR;", "    node [shape=box];"]
        for zone in ZONES:
            members = [table for table in self.ordered() if table.zone == zone]
            if members:
                lines.append(f"    subgraph cluster_{zone} {{ label=\"{zone}\";")
                lines += [f"        \"{table.name}\";" for table in members]
                lines.append("    }")
        lines += [f"    \"{up}\" -> \"{down}\";" for up, down in sorted(self.edges)]
        lines.append("}")
        return "\n".join(lines)


def _node_id(name: str) -> str:
    return name.replace(".", "__")


def build(sources: list[Source]) -> Graph:
    """The graph of every source's raw tables and staging/curated files. Tables outside the
    three zones that a file reads (ops.*: quality blocks) are left out of the picture."""
    graph = Graph()
    for source in sources:
        for raw_table in source.table_endpoints:
            graph.tables[f"raw.{raw_table}"] = Table(f"raw.{raw_table}", source.name)
        for zone in ("staging", "curated"):
            for sql_file in source.sql.files(f"{zone}/{source.name}/"):
                target = target_table(sql_file)
                graph.tables[target] = Table(target, source.name, sql_file)
                for upstream in sql_file.names("sources") + sql_file.names("depends"):
                    if upstream.split(".", 1)[0] in ZONES and upstream != target:
                        graph.tables.setdefault(upstream, Table(upstream, source.name))
                        graph.edges.add((upstream, target))
    return graph
