"""Any text a user can type gives results or nothing, never an error, on every backend."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.backends.base import make_request
from search.backends.database import DatabaseBackend
from search.backends.elasticsearch import search_body, spelling_body, suggest_body
from search.text import parse_query
from tests.search.corpus import corpus

ANY_TEXT = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from('"\'()*-+^:{}[]~!&|\\% NEARANDORNOT\x00\t\n🙂ñé'),
            max_size=60),
    st.lists(st.sampled_from(["AND", "OR", "NOT", '"', "(", ")", "*", "-", "NEAR", "pensión",
                              "title:", "{title}", "^", "'", "::", "&", "|", "!"]),
             max_size=12).map(" ".join),
)
EXAMPLES = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def database_backend(db):
    backend = DatabaseBackend()
    backend.clear()
    backend.index(corpus())
    return backend


@EXAMPLES
@given(text=ANY_TEXT, facet_value=ANY_TEXT)
def test_database_backend_answers_any_text(database_backend, text, facet_value):
    results = database_backend.query(text, filters={"country": [facet_value], "topic": [text]},
                                     facets=["country", "topic"], sort=text, page=text)
    assert results.total >= 0
    assert database_backend.query(text).total >= 0
    assert isinstance(database_backend.suggest(text), list)


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT, facet_value=ANY_TEXT)
def test_elasticsearch_request_bodies_for_any_text(text, facet_value):
    request = make_request(text, {"country": [facet_value]}, ["country", "year"], text, text)
    body = search_body(request)
    serialised = json.dumps(body)
    # User text only ever travels as the value of a match query, never as query syntax.
    assert "query_string" not in serialised
    assert len(parse_query(text).words) <= 16
    json.dumps(suggest_body(text, 8))
    json.dumps(spelling_body(text))


def test_long_input_is_bounded():
    request = make_request("pensión " * 5000, {"country": ["COL"] * 500}, [], "x", 10**9)
    assert len(request.text) <= 1000
    assert request.page == 500
    assert request.filter_dict == {"country": ("COL",)}
