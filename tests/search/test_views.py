"""The search page and /api/v1/search/: parameters, facets, empty state, any input."""

import re

import pytest
from django.urls import reverse

from search.backends import get_backend
from tests.search.backend_contract import NASTY_INPUTS
from tests.search.corpus import corpus, expected_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(db):
    backend = get_backend()
    backend.clear()
    backend.index(corpus())
    return backend


def page_html(client, query=""):
    response = client.get("/en/search/" + query)
    assert response.status_code == 200
    return response.content.decode()


def test_search_section_is_in_the_navigation(client, indexed):
    assert reverse("search:search") == "/en/search/"
    html = client.get("/en/").content.decode()
    assert 'href="/en/search/"' in html


def test_results_with_highlights_facets_and_shareable_links(client, indexed):
    html = page_html(client, "?q=pensiones")
    assert "2 results for “pensiones”" in html
    assert "<mark>pensión</mark>" in html.lower() or "<mark>Pensión</mark>" in html
    assert 'role="search"' in html
    # Facet values are links that add the value to the current URL.
    assert 'href="?q=pensiones&amp;country=BOL"' in html
    assert 'href="?q=pensiones&amp;sort=date"' in html


def test_several_values_of_a_facet_and_their_removal(client, indexed):
    html = page_html(client, "?country=COL&country=PER&language=es")
    expected = sum(1 for doc in corpus()
                   if doc.language == "es" and doc.facets.get("country", [""])[0] in {"COL", "PER"})
    assert f"{expected} items" in html
    counts = expected_counts(corpus(), {"country": ["COL", "PER"], "language": ["es"]},
                             "country")
    # Chile is offered with its count, as a value to add to the selection.
    assert re.search(
        rf'href="\?country=COL&amp;country=PER&amp;country=CHL&amp;language=es".*?'
        rf'Chile</span> <span class="facet-option__count">{counts["CHL"]}</span>', html, re.S)
    assert 'aria-current="true"' in html
    assert 'href="?country=PER&amp;language=es"' in html  # remove Colombia
    assert "Remove all filters" in html
    # The query box keeps the filters when a new query is submitted.
    assert '<input type="hidden" name="country" value="COL">' in html


def test_empty_state_offers_a_spelling_suggestion_and_filter_removal(client, indexed):
    html = page_html(client, "?q=pensoines&country=PER")
    assert "Nothing matches “pensoines”" in html
    assert "Did you mean:" in html
    assert re.search(r'class="spelling-suggestion">pensi\w+</a>', html)
    assert 'href="?q=pensoines"' in html  # remove the country filter


def test_pagination_links_keep_the_query(client, indexed):
    html = page_html(client, "?q=&sort=date&page=1")
    assert "Page 1 of" not in html  # eleven documents fit on one page
    response = client.get("/en/search/", {"language": "es", "page": "2"})
    assert response.status_code == 200


@pytest.mark.parametrize("text", NASTY_INPUTS[::3])
def test_any_input_renders_a_page(client, indexed, text):
    response = client.get("/en/search/", {"q": text, "country": text, "page": text,
                                          "sort": text})
    assert response.status_code == 200


def test_spanish_page(client, indexed):
    html = client.get("/es/search/?q=pobreza").content.decode()
    assert "Buscar" in html
    assert "2 resultados" in html


def test_api_matches_the_page(client, indexed):
    response = client.get("/api/v1/search/", {"q": "", "country": ["CHL", "PER"],
                                              "per_page": 100})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == sum(1 for doc in corpus()
                                if set(doc.facets.get("country", [])) & {"CHL", "PER"})
    assert data["filters"] == {"country": ["CHL", "PER"]}
    facets = {facet["name"]: {value["value"]: value["count"] for value in facet["values"]}
              for facet in data["facets"]}
    assert facets["country"] == expected_counts(corpus(), {"country": ["CHL", "PER"]}, "country")
    assert facets["year"] == expected_counts(corpus(), {"country": ["CHL", "PER"]}, "year")
    hit = data["hits"][0]
    assert set(hit) == {"type", "type_label", "id", "language", "title", "url", "date",
                        "title_html", "snippet_html", "countries"}


def test_api_any_input_and_bad_parameters(client, indexed):
    for text in NASTY_INPUTS:
        status = client.get("/api/v1/search/", {"q": text, "sort": text}).status_code
        # A NUL character is refused before any view runs (RejectNulCharactersMiddleware).
        assert status == (400 if "\x00" in text else 200), text
    response = client.get("/api/v1/search/", {"page": "two"})
    assert response.status_code == 422
    assert "page" in response.content.decode()


@pytest.mark.parametrize("facet", ["content_type", "country", "topic", "target_population",
                                   "status", "exchange_method", "sdg", "sector", "macrozone",
                                   "support_type", "language", "year"])
def test_api_any_filter_value(client, indexed, facet):
    # "²" is a digit to str.isdigit() but not to int(); 30 digits overflow database integers.
    for value in ["²", "9" * 30, "-43242", "", "🙂", "'", "a" * 500, "1e5"]:
        response = client.get("/api/v1/search/", {facet: [value, "COL"]})
        assert response.status_code == 200, (facet, value)


def test_api_suggest(client, indexed):
    data = client.get("/api/v1/search/suggest/", {"q": "renta dig", "lang": "es"}).json()
    assert data and all(item["title"].startswith("Renta Dignidad") for item in data)
    assert client.get("/api/v1/search/suggest/", {"q": "\"("}).json() == []


def test_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/").json()
    operation = schema["paths"]["/api/v1/search/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"q", "sort", "page", "per_page", "country", "topic", "target_population", "status",
            "exchange_method", "sdg", "sector", "macrozone", "support_type", "language",
            "year", "content_type"} <= names
    assert "/api/v1/search/suggest/" in schema["paths"]
