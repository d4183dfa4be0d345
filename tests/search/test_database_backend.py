"""The shared contract on the database backend (SQLite in the first pass, PostgreSQL in the
second), plus what is specific to it."""

import pytest
from django.db import connection

from search.backends.database import DatabaseBackend, facet_token
from search.models import SearchEntry
from tests.search.backend_contract import BackendContract


class TestDatabaseBackend(BackendContract):
    @pytest.fixture
    def backend(self, db):
        backend = DatabaseBackend()
        backend.clear()
        return backend


def test_full_text_table_matches_the_database(db):
    table = "search_fts" if connection.vendor == "sqlite" else "search_pgvector"
    assert table in connection.introspection.table_names(include_views=True) or (
        connection.vendor == "sqlite"
        and "search_fts" in {row[0] for row in connection.cursor().execute(
            "SELECT name FROM sqlite_master").fetchall()}
    )


def test_facet_tokens_are_opaque_and_distinct():
    tokens = {facet_token("country", "COL"), facet_token("country", "col"),
              facet_token("topic", "COL"), facet_token("country", 'x" OR "y')}
    assert len(tokens) == 4
    assert all(token.isalnum() for token in tokens)


def test_stored_entry_keeps_only_the_document(db):
    from tests.search.corpus import document

    backend = DatabaseBackend()
    backend.index([document("program", 99, "en", "Title", "Body", country="COL")])
    entry = SearchEntry.objects.get(key="program:99:en")
    assert entry.facets == {"content_type": ["program"], "country": ["COL"], "language": ["en"]}
