"""The database-specific full-text tables of the database search backend.

SQLite: an FTS5 table whose rowid is the SearchEntry id. PostgreSQL: tsvectors and facet
tokens with GIN indexes. Neither is a Django model: only search.backends.database uses them.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, body, plain, facets, tokenize = 'ascii', prefix = '2 3 4')",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS search_fts"]

POSTGRESQL = [
    "CREATE TABLE IF NOT EXISTS search_pgvector ("
    " entry_id bigint PRIMARY KEY REFERENCES search_searchentry (id) ON DELETE CASCADE"
    " DEFERRABLE INITIALLY DEFERRED,"
    " document tsvector NOT NULL,"
    " plain tsvector NOT NULL,"
    " facet_tokens text[] NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_pgvector_document ON search_pgvector USING gin (document)",
    "CREATE INDEX IF NOT EXISTS search_pgvector_plain ON search_pgvector USING gin (plain)",
    "CREATE INDEX IF NOT EXISTS search_pgvector_facets ON search_pgvector USING gin (facet_tokens)",
]
POSTGRESQL_REVERSE = ["DROP TABLE IF EXISTS search_pgvector"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
