"""The contract every discovery search backend fulfils.

A backend stores `SearchDocument`s and answers `query()` with a `SearchResults`: one page of
hits with highlighted title and snippet (HTML, every other character escaped), the number of
matches, facet counts, and a spelling suggestion when nothing matched. `suggest()` completes
a prefix for the search box. The same behavioural tests (`tests/search/backend_contract.py`)
run against every backend.

Facet semantics, shared by all backends:
- values of one facet are alternatives (country COL *or* PER), facets combine with AND;
- the counts of a facet are computed with every filter applied *except that facet's own*,
  so that the user sees how many results each further value of it would add.
"""

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from search.facets import FACET_NAMES
from search.text import clean_query_text

SORTS = ("relevance", "date")
MAX_PAGE = 500
MAX_PER_PAGE = 100
MAX_VALUES_PER_FACET = 50
MAX_VALUE_LENGTH = 200


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    facets: tuple[str, ...] = ()
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20

    @property
    def filter_dict(self):
        return dict(self.filters)

    @property
    def offset(self):
        return (self.page - 1) * self.per_page

    def without_filter(self, facet):
        return tuple((name, values) for name, values in self.filters if name != facet)


def _bounded_int(value, default, low, high):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)


def make_request(text="", filters=None, facets=(), sort="relevance", page=1, per_page=20):
    """Any input, made safe: unknown facets dropped, values bounded, page numbers clamped."""
    cleaned_filters = []
    for name, values in (filters or {}).items():
        if name not in FACET_NAMES:
            continue
        if isinstance(values, str):
            values = [values]
        kept = []
        for value in values or ():
            value = clean_query_text(value)[:MAX_VALUE_LENGTH]
            if value and value not in kept:
                kept.append(value)
        if kept:
            cleaned_filters.append((name, tuple(sorted(kept[:MAX_VALUES_PER_FACET]))))
    cleaned_facets = tuple(dict.fromkeys(name for name in (facets or ()) if name in FACET_NAMES))
    return SearchRequest(
        text=clean_query_text(text),
        filters=tuple(sorted(cleaned_filters)),
        facets=cleaned_facets,
        sort=sort if sort in SORTS else "relevance",
        page=_bounded_int(page, 1, 1, MAX_PAGE),
        per_page=_bounded_int(per_page, 20, 1, MAX_PER_PAGE),
    )


@dataclass
class Hit:
    key: str
    content_type: str
    object_id: str
    language: str
    title: str
    url: str
    date: object
    title_html: str
    snippet_html: str
    facets: dict = field(default_factory=dict)


@dataclass
class FacetCount:
    value: str
    count: int


@dataclass
class SearchResults:
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetCount]]
    suggestion: str | None = None

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.request.per_page))


@dataclass
class Suggestion:
    title: str
    url: str
    content_type: str
    language: str


class SearchBackend(ABC):
    """Subclasses implement storage and matching; everything else is shared."""

    def __init__(self, **options):
        self.options = options

    @abstractmethod
    def index(self, documents):
        """Add or replace documents (by key). Returns how many were written."""

    @abstractmethod
    def remove(self, content_type, object_ids):
        """Remove every document of these objects, in every language."""

    @abstractmethod
    def rebuild(self, documents, progress=None):
        """Replace the whole index with `documents`; readers see the old index until the
        new one is complete. `progress(n)` is called as documents are written."""

    @abstractmethod
    def clear(self):
        """Empty the index."""

    @abstractmethod
    def count(self):
        """How many documents the index holds."""

    @abstractmethod
    def execute(self, request: SearchRequest) -> SearchResults:
        """Answer a request already made safe by `make_request`."""

    @abstractmethod
    def complete(self, prefix: str, limit: int) -> list[Suggestion]:
        """Titles completing a prefix already cleaned."""

    def replace(self, content_type, object_id, documents):
        """Make the index hold exactly `documents` for one object."""
        self.remove(content_type, [object_id])
        if documents:
            self.index(documents)

    def query(self, text="", filters=None, facets=(), sort="relevance", page=1, per_page=20):
        return self.execute(make_request(text, filters, facets, sort, page, per_page))

    def suggest(self, prefix, limit=8):
        prefix = clean_query_text(prefix)[:100]
        if not prefix.strip():
            return []
        return self.complete(prefix, _bounded_int(limit, 8, 1, 20))
