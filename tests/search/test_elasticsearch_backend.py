"""The Elasticsearch backend: the request bodies it builds, always; the shared behavioural
contract against a live server only when ELASTICSEARCH_URL is set."""

import os
import uuid

import pytest

from search.backends.base import make_request
from search.backends.elasticsearch import (
    ElasticsearchBackend,
    alias_actions,
    document_source,
    index_body,
    search_body,
    spelling_body,
    suggest_body,
)
from tests.search.backend_contract import BackendContract
from tests.search.corpus import corpus, document

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")


def test_index_has_spanish_and_english_analysers_with_folding_and_stop_words():
    body = index_body()
    analysis = body["settings"]["analysis"]
    spanish = analysis["analyzer"]["portal_spanish"]["filter"]
    english = analysis["analyzer"]["portal_english"]["filter"]
    assert "asciifolding" in spanish and "asciifolding" in english
    assert analysis["filter"]["portal_spanish_stop"] == {"type": "stop", "stopwords": "_spanish_"}
    assert analysis["filter"]["portal_spanish_stemmer"]["language"] == "spanish"
    assert analysis["filter"]["portal_english_stemmer"]["language"] == "english"
    properties = body["mappings"]["properties"]
    assert properties["title"]["fields"]["es"]["analyzer"] == "portal_spanish"
    assert properties["body"]["fields"]["en"]["analyzer"] == "portal_english"
    assert properties["suggest"]["type"] == "completion"
    assert properties["facets"]["properties"]["country"] == {"type": "keyword"}


def test_query_searches_every_analysis_with_fuzziness_and_an_exact_title_boost():
    body = search_body(make_request("Pensiones rurales"))
    must = body["query"]["bool"]["must"][0]["bool"]["should"]
    assert {clause["multi_match"]["type"] for clause in must} == {"cross_fields", "best_fields"}
    fuzzy = next(clause["multi_match"] for clause in must
                 if clause["multi_match"]["type"] == "best_fields")
    assert fuzzy["fuzziness"] == "AUTO"
    assert {"title.es^4", "title.en^4", "body", "body.es", "body.en"} <= set(fuzzy["fields"])
    boosts = body["query"]["bool"]["should"]
    assert boosts[0] == {"match": {"title.exact": {"query": "pensiones rurales", "boost": 50}}}
    assert body["sort"][0] == "_score"
    assert body["highlight"]["pre_tags"] == ["<mark>"]
    assert body["highlight"]["encoder"] == "html"


def test_facets_are_aggregations_that_ignore_their_own_filter():
    request = make_request("", {"country": ["COL", "PER"], "topic": ["pensions"]},
                           ["country", "topic", "year"])
    body = search_body(request)
    assert "query" not in body
    assert body["post_filter"] == {"bool": {"filter": [
        {"terms": {"facets.country": ["COL", "PER"]}},
        {"terms": {"facets.topic": ["pensions"]}},
    ]}}
    aggregations = body["aggs"]
    assert aggregations["country"]["filter"] == {
        "bool": {"filter": [{"terms": {"facets.topic": ["pensions"]}}]}}
    assert aggregations["country"]["aggs"]["values"]["terms"]["field"] == "facets.country"
    assert aggregations["year"]["filter"]["bool"]["filter"] == body["post_filter"]["bool"]["filter"]
    assert body["sort"][0] == {"sort_date": {"order": "desc"}}


def test_paging_and_date_sort():
    body = search_body(make_request("pension", sort="date", page=3, per_page=10))
    assert (body["from"], body["size"]) == (20, 10)
    assert body["sort"][0] == {"sort_date": {"order": "desc"}}


def test_suggesters():
    completion = suggest_body("pens", 5)["suggest"]["titles"]
    assert completion["prefix"] == "pens"
    assert completion["completion"]["field"] == "suggest"
    assert completion["completion"]["fuzzy"] == {"fuzziness": 1, "prefix_length": 2}
    assert spelling_body("pensoines")["suggest"]["spelling"]["term"]["field"] == "body"


def test_documents_carry_only_what_the_content_type_put_in_them():
    doc = document("articulator", 5, "es", "Fundación del Sur", "Financia pilotos",
                   country="CHL", sector="private")
    source = document_source(doc)
    assert set(source) == {"key", "content_type", "object_id", "language", "title", "summary",
                           "body", "url", "date", "sort_date", "facets", "suggest"}
    assert source["facets"] == {"content_type": ["articulator"], "country": ["CHL"],
                                "language": ["es"], "sector": ["private"]}
    assert source["suggest"]["input"] == ["Fundación del Sur", "del Sur", "Sur"]


def test_a_full_reindex_swaps_the_alias_in_one_call():
    assert alias_actions("portal-search", ["portal-search-1"], "portal-search-2") == [
        {"remove": {"index": "portal-search-1", "alias": "portal-search"}},
        {"add": {"index": "portal-search-2", "alias": "portal-search"}},
    ]


def test_live_tests_report_why_they_did_not_run():
    if not ELASTICSEARCH_URL:
        pytest.skip("SKIPPED: live Elasticsearch tests need ELASTICSEARCH_URL "
                    "(e.g. http://127.0.0.1:9200); only request bodies were tested")
    assert ElasticsearchBackend(url=ELASTICSEARCH_URL).client.ping()


@pytest.mark.skipif(
    not ELASTICSEARCH_URL,
    reason="SKIPPED: live Elasticsearch tests need ELASTICSEARCH_URL; only request bodies "
           "were tested",
)
class TestElasticsearchBackendLive(BackendContract):
    @pytest.fixture
    def backend(self):
        prefix = f"test-{os.environ.get('PORTAL_TEST_SUFFIX', 'portal')}-{uuid.uuid4().hex[:8]}"
        backend = ElasticsearchBackend(url=ELASTICSEARCH_URL, index_prefix=prefix)
        backend.clear()
        yield backend
        for name in backend._current_indices():
            backend.client.indices.delete(index=name, ignore_unavailable=True)

    def test_rebuild_keeps_serving_the_old_index_until_the_swap(self, backend):
        backend.index(corpus()[:3])
        old = backend._current_indices()
        backend.rebuild(corpus())
        assert backend._current_indices() != old
        assert backend.count() == len(corpus())
