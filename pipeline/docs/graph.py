"""The lineage graph as an inline SVG: no script, no CDN. Columns by depth (a table sits
one column right of the deepest table it reads), rows in name order, edges as curves."""

from __future__ import annotations

from html import escape

from pipeline.lineage import Graph

NODE_WIDTH, NODE_HEIGHT, COLUMN_GAP, ROW_GAP, MARGIN = 290, 34, 70, 16, 20
ZONE_COLOURS = {"raw": "#f4e3c1", "staging": "#cfe3f7", "curated": "#d3f0d0"}


def depths(graph: Graph) -> dict[str, int]:
    depth: dict[str, int] = {}

    def visit(name: str, seen: frozenset[str]) -> int:
        if name not in depth:
            ups = [up for up in graph.upstream(name) if up not in seen]
            depth[name] = 1 + max((visit(up, seen | {name}) for up in ups), default=-1)
        return depth[name]

    for name in graph.tables:
        visit(name, frozenset())
    return depth


def lineage_svg(graph: Graph, link=lambda name: f"{name}.html", highlight: str | None = None) -> str:
    depth = depths(graph)
    columns: dict[int, list[str]] = {}
    for table in graph.ordered():
        columns.setdefault(depth[table.name], []).append(table.name)
    position = {}
    for column, names in columns.items():
        for row, name in enumerate(names):
            position[name] = (MARGIN + column * (NODE_WIDTH + COLUMN_GAP), MARGIN + row * (NODE_HEIGHT + ROW_GAP))
    width = MARGIN * 2 + (max(columns, default=0) + 1) * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP
    height = MARGIN * 2 + max((len(names) for names in columns.values()), default=1) * (NODE_HEIGHT + ROW_GAP)
    parts = [f'<svg id="lineage" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="lineage graph">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#667"/></marker></defs>']
    for up, down in sorted(graph.edges):
        (x1, y1), (x2, y2) = position[up], position[down]
        x1, y1, y2 = x1 + NODE_WIDTH, y1 + NODE_HEIGHT / 2, y2 + NODE_HEIGHT / 2
        if x2 <= x1:  # same column (should not happen): go around
            x2 = x2 + NODE_WIDTH
        middle = (x1 + x2) / 2
        parts.append(f'<path class="edge" data-from="{escape(up)}" data-to="{escape(down)}" '
                     f'd="M {x1} {y1} C {middle} {y1}, {middle} {y2}, {x2} {y2}" fill="none" stroke="#667" '
                     f'stroke-width="1.4" marker-end="url(#arrow)"/>')
    for table in graph.ordered():
        x, y = position[table.name]
        stroke = "#c0392b" if table.name == highlight else "#445"
        parts.append(f'<a href="{escape(link(table.name))}"><g class="node" data-table="{escape(table.name)}">'
                     f'<rect x="{x}" y="{y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="6" '
                     f'fill="{ZONE_COLOURS.get(table.zone, "#eee")}" stroke="{stroke}" stroke-width="1.5"/>'
                     f'<text x="{x + 10}" y="{y + 22}" font-family="monospace" font-size="12">{escape(table.name)}</text>'
                     f'</g></a>')
    parts.append("</svg>")
    return "\n".join(parts)
