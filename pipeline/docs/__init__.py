"""`pipeline docs build`: a static site (no script, no CDN) of every raw, staging and
curated table, its columns, SQL, quality checks, freshness and lineage."""

from pipeline.docs.site import build_site

__all__ = ["build_site"]
