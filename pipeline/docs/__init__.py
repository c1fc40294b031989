"""`pipeline docs build`: a static site of the tables, their columns, SQL, checks and lineage."""
