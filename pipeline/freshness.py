"""Data freshness per source: its watermark, and when its newest final game reached
staging. What a final game is belongs to the source: a source whose own queries include
`freshness_newest` (one row: newest_final_at, newest_final_date; none before any game is
final) reports it, and the core only sets the answers beside the watermarks. A source
without that query reports its watermark alone."""

from __future__ import annotations

from pipeline import queries, sources

FRESHNESS_QUERY = "freshness_newest"


def newest_final_games(conn) -> dict[str, list]:
    """Each reporting source's answer, as the arrays `freshness_sources` and
    `alert_conditions` bind: final_sources, newest_final_at, newest_final_date."""
    found: dict[str, list] = {"final_sources": [], "newest_final_at": [], "newest_final_date": []}
    for source in sources.all_sources():
        if not source.queries.has(FRESHNESS_QUERY):
            continue
        row = source.queries.execute(conn, FRESHNESS_QUERY).fetchone()
        if row is None:
            continue
        found["final_sources"].append(source.name)
        found["newest_final_at"].append(row[0])
        found["newest_final_date"].append(row[1])
    return found


def freshness_rows(conn) -> list[tuple]:
    """Per source: source, watermark, newest_final_at (both epoch seconds),
    newest_final_date, freshness_seconds."""
    return queries.execute(conn, "freshness_sources", newest_final_games(conn)).fetchall()
