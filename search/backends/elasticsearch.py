"""The Elasticsearch backend, written with elasticsearch-dsl.

- One `Document` class (`SearchEntryDocument`); every text field is analysed three ways:
  folded (lower case, ASCII folding), Spanish and English (stop words, folding, Snowball
  stemming). A query searches all three, so "niñez"/"ninez" and "pensiones"/"pensión" meet.
- Facets are aggregations. As in every backend, a facet's counts ignore that facet's own
  filter: filters go in `post_filter` and each facet's aggregation applies the others.
- Highlighting marks matches with <mark> and HTML-escapes the rest (`encoder: html`).
- `suggest()` uses a completion suggester fed with each title and its word suffixes, with
  fuzziness; "did you mean" uses a term suggester.
- A fuzzy clause forgives typos in longer words.
- Writes go to an alias. `rebuild()` fills a new, timestamped index and swaps the alias in
  one atomic call, then drops the old index: searches never see a half-built index.

Every request body is built by a pure function (`index_body`, `search_body`, ...), which is
what the tests assert when no Elasticsearch server is available.
"""

import datetime
import logging

from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import streaming_bulk
from elasticsearch_dsl import (
    Completion,
    Date,
    Document,
    Index,
    Keyword,
    Object,
    Q,
    Search,
    Text,
    analyzer,
    normalizer,
    token_filter,
)

from search.backends.base import FacetCount, Hit, SearchBackend, SearchResults, Suggestion
from search.facets import FACET_NAMES
from search.text import parse_query, words

logger = logging.getLogger(__name__)

spanish_stop = token_filter("portal_spanish_stop", "stop", stopwords="_spanish_")
spanish_stemmer = token_filter("portal_spanish_stemmer", "stemmer", language="spanish")
english_possessive = token_filter("portal_english_possessive", "stemmer",
                                  language="possessive_english")
english_stop = token_filter("portal_english_stop", "stop", stopwords="_english_")
english_stemmer = token_filter("portal_english_stemmer", "stemmer", language="english")

folding_analyzer = analyzer("portal_folding", tokenizer="standard",
                            filter=["lowercase", "asciifolding"])
spanish_analyzer = analyzer("portal_spanish", tokenizer="standard",
                            filter=["lowercase", spanish_stop, "asciifolding", spanish_stemmer])
english_analyzer = analyzer(
    "portal_english", tokenizer="standard",
    filter=[english_possessive, "lowercase", english_stop, "asciifolding", english_stemmer],
)
folded_normalizer = normalizer("portal_folded", filter=["lowercase", "asciifolding"])


def _multilingual_text(**extra_fields):
    return Text(
        analyzer=folding_analyzer,
        fields={
            "es": Text(analyzer=spanish_analyzer),
            "en": Text(analyzer=english_analyzer),
            **extra_fields,
        },
    )


class SearchEntryDocument(Document):
    key = Keyword()
    content_type = Keyword()
    object_id = Keyword()
    language = Keyword()
    title = _multilingual_text(exact=Keyword(normalizer=folded_normalizer, ignore_above=512))
    summary = _multilingual_text()
    body = _multilingual_text()
    url = Keyword(index=False)
    date = Date()
    sort_date = Date()
    facets = Object(dynamic=False, properties={name: Keyword() for name in FACET_NAMES})
    suggest = Completion(analyzer=folding_analyzer, max_input_length=100)



TEXT_FIELDS = [
    "title^4", "title.es^4", "title.en^4",
    "summary^2", "summary.es^2", "summary.en^2",
    "body", "body.es", "body.en",
]
HIGHLIGHT_OPTIONS = {"pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html"}
UNDATED = datetime.date(1, 1, 1)
MAX_SUGGEST_INPUTS = 12


def document_source(document):
    """The stored form of a SearchDocument: only what its content type chose to put in it."""
    facets = {}
    for facet, value in document.facet_values():
        facets.setdefault(facet, []).append(value)
    title_words = document.title.split()
    suggest_inputs = [" ".join(title_words[start:]) for start in range(len(title_words))]
    return {
        "key": document.key,
        "content_type": document.content_type,
        "object_id": document.object_id,
        "language": document.language,
        "title": document.title,
        "summary": document.summary,
        "body": document.body,
        "url": document.url,
        "date": document.date.isoformat() if document.date else None,
        "sort_date": (document.date or UNDATED).isoformat(),
        "facets": facets,
        "suggest": {"input": [text[:100] for text in suggest_inputs[:MAX_SUGGEST_INPUTS] if text]},
    }


def index_body():
    """Settings (analysers) and mappings of a new index."""
    index = Index("portal-search-template")
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.document(SearchEntryDocument)
    return index.to_dict()


def _filter_clauses(filters):
    return [Q("terms", **{f"facets.{facet}": list(values)}) for facet, values in filters]


def _text_query(text, exact_title=None):
    matching = Q(
        "bool",
        should=[
            Q("multi_match", query=text, fields=TEXT_FIELDS, type="cross_fields",
              operator="and", boost=2),
            Q("multi_match", query=text, fields=TEXT_FIELDS, type="best_fields",
              operator="and", fuzziness="AUTO", prefix_length=1, max_expansions=20),
        ],
        minimum_should_match=1,
    )
    return Q(
        "bool",
        must=[matching],
        should=[
            Q("match", **{"title.exact": {"query": exact_title or text, "boost": 50}}),
            Q("match_phrase", title={"query": text, "boost": 5}),
        ],
    )


def _query_text(text):
    """The words of a query, bounded in number as in every backend."""
    return " ".join(parse_query(text).words)


def build_search(request):
    search = Search().extra(track_total_hits=True)
    text = _query_text(request.text)
    if text:
        search = search.query(_text_query(text, exact_title=" ".join(words(request.text))[:512]))
    if request.filters:
        search = search.post_filter(Q("bool", filter=_filter_clauses(request.filters)))
    for facet in request.facets:
        others = _filter_clauses(request.without_filter(facet))
        bucket = search.aggs.bucket(facet, "filter", filter=Q("bool", filter=others))
        bucket.bucket("values", "terms", field=f"facets.{facet}", size=200)
    if text and request.sort == "relevance":
        search = search.sort("_score", {"sort_date": {"order": "desc"}}, "key")
    else:
        search = search.sort({"sort_date": {"order": "desc"}}, {"key": {"order": "desc"}})
    search = search.highlight_options(**HIGHLIGHT_OPTIONS)
    search = search.highlight("title", "title.es", "title.en", number_of_fragments=0)
    search = search.highlight("body", "body.es", "body.en", "summary", "summary.es",
                              "summary.en", fragment_size=240, number_of_fragments=1)
    return search[request.offset: request.offset + request.per_page]


def search_body(request):
    return build_search(request).to_dict()


def suggest_body(prefix, limit):
    return {
        "size": 0,
        "_source": ["title", "url", "content_type", "language"],
        "suggest": {"titles": {
            "prefix": prefix,
            "completion": {"field": "suggest", "size": limit, "skip_duplicates": True,
                           "fuzzy": {"fuzziness": 1, "prefix_length": 2}},
        }},
    }


def spelling_body(text):
    return {
        "size": 0,
        "suggest": {"spelling": {
            "text": text,
            "term": {"field": "body", "suggest_mode": "popular", "min_word_length": 3},
        }},
    }


def alias_actions(alias, old_indices, new_index):
    return [
        *({"remove": {"index": old, "alias": alias}} for old in old_indices),
        {"add": {"index": new_index, "alias": alias}},
    ]


def _escape_text(text):
    from django.utils.html import escape

    return escape(text)


class ElasticsearchBackend(SearchBackend):
    def __init__(self, **options):
        super().__init__(**options)
        self.url = options.get("url") or "http://127.0.0.1:9200"
        self.alias = f"{options.get('index_prefix') or 'portal'}-search"
        self._client = options.get("client")

    @property
    def client(self):
        if self._client is None:
            self._client = Elasticsearch(self.url, request_timeout=30)
        return self._client

    # -- indices -------------------------------------------------------------------------

    def _new_index_name(self):
        return f"{self.alias}-{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S%f}"

    def _create_index(self, name):
        self.client.indices.create(index=name, **index_body())
        return name

    def _current_indices(self):
        try:
            return sorted(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def ensure_index(self):
        if not self._current_indices():
            name = self._create_index(self._new_index_name())
            self.client.indices.update_aliases(actions=alias_actions(self.alias, [], name))

    # -- writing -------------------------------------------------------------------------

    def _bulk(self, documents, index, progress=None):
        actions = (
            {"_index": index, "_id": document.key, "_source": document_source(document)}
            for document in documents
        )
        written = 0
        for ok, _result in streaming_bulk(self.client, actions, chunk_size=500,
                                          raise_on_error=True):
            written += ok
            if progress and written % 500 == 0:
                progress(500)
        if progress and written % 500:
            progress(written % 500)
        return written

    def index(self, documents):
        self.ensure_index()
        written = self._bulk(list(documents), self.alias)
        self.client.indices.refresh(index=self.alias)
        return written

    def remove(self, content_type, object_ids):
        self.ensure_index()
        self.client.delete_by_query(
            index=self.alias, refresh=True, conflicts="proceed",
            query={"bool": {"filter": [
                {"term": {"content_type": content_type}},
                {"terms": {"object_id": [str(object_id) for object_id in object_ids]}},
            ]}},
        )

    def rebuild(self, documents, progress=None):
        old = self._current_indices()
        new = self._create_index(self._new_index_name())
        try:
            written = self._bulk(documents, new, progress)
            self.client.indices.refresh(index=new)
            self.client.indices.update_aliases(actions=alias_actions(self.alias, old, new))
        except Exception:
            self.client.indices.delete(index=new, ignore_unavailable=True)
            raise
        for name in old:
            self.client.indices.delete(index=name, ignore_unavailable=True)
        return written

    def clear(self):
        for name in self._current_indices():
            self.client.indices.delete(index=name, ignore_unavailable=True)
        self.ensure_index()

    def count(self):
        self.ensure_index()
        return self.client.count(index=self.alias)["count"]

    # -- reading -------------------------------------------------------------------------

    def execute(self, request):
        self.ensure_index()
        response = self.client.search(index=self.alias, body=search_body(request))
        total = response["hits"]["total"]["value"]
        hits = [_hit(raw) for raw in response["hits"]["hits"]]
        facets = {
            facet: [
                FacetCount(value=bucket["key"], count=bucket["doc_count"])
                for bucket in response.get("aggregations", {}).get(facet, {})
                .get("values", {}).get("buckets", [])
            ]
            for facet in request.facets
        }
        for values in facets.values():
            values.sort(key=lambda item: (-item.count, item.value))
        suggestion = None
        if total == 0 and _query_text(request.text):
            suggestion = self._spelling_suggestion(request.text)
        return SearchResults(request=request, total=total, hits=hits, facets=facets,
                             suggestion=suggestion)

    def _spelling_suggestion(self, text):
        response = self.client.search(index=self.alias, body=spelling_body(_query_text(text)))
        corrected, changed = [], False
        for entry in response.get("suggest", {}).get("spelling", []):
            options = entry.get("options") or []
            if options:
                corrected.append(options[0]["text"])
                changed = True
            else:
                corrected.append(entry["text"])
        if not changed:
            return None
        suggestion = " ".join(corrected)
        count = self.client.count(index=self.alias,
                                  query=_text_query(suggestion).to_dict())["count"]
        return suggestion if count else None

    def complete(self, prefix, limit):
        self.ensure_index()
        response = self.client.search(index=self.alias, body=suggest_body(prefix, limit))
        suggestions = []
        for entry in response.get("suggest", {}).get("titles", []):
            for option in entry.get("options", []):
                source = option.get("_source", {})
                suggestions.append(Suggestion(
                    title=source.get("title", ""), url=source.get("url", ""),
                    content_type=source.get("content_type", ""),
                    language=source.get("language", ""),
                ))
        return suggestions[:limit]


def _first_highlight(highlight, names):
    for name in names:
        fragments = highlight.get(name)
        if fragments:
            return fragments[0]
    return None


def _hit(raw):
    source = raw["_source"]
    highlight = raw.get("highlight", {})
    title_html = _first_highlight(highlight, ["title", "title.es", "title.en"])
    snippet_html = _first_highlight(
        highlight, ["body", "body.es", "body.en", "summary", "summary.es", "summary.en"]
    )
    if snippet_html is None:
        text = source.get("summary") or source.get("body") or ""
        snippet_html = _escape_text(text[:240] + ("…" if len(text) > 240 else ""))
    date = source.get("date")
    return Hit(
        key=source["key"],
        content_type=source["content_type"],
        object_id=source["object_id"],
        language=source["language"],
        title=source["title"],
        url=source["url"],
        date=datetime.date.fromisoformat(date) if date else None,
        title_html=title_html or _escape_text(source["title"]),
        snippet_html=snippet_html,
        facets=source.get("facets", {}),
    )
