"""A Postgres-native sports data pipeline: extract with httpx, land JSONB, transform in SQL."""

__version__ = "0.1.0"
