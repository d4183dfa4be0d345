"""`make bench-search`: the discovery search measured on 50,000 generated documents, on SQLite
and PostgreSQL, next to Wagtail's stock database search on the same data."""
