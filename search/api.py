"""/api/v1/search/: the discovery search as JSON, with the same parameters as the page."""

import datetime

from django.utils import translation
from ninja import Field, Query, Router, Schema

from portal.api_schemas import QueryText
from search.backends import get_backend
from search.backends.base import MAX_PER_PAGE
from search.presentation import SearchParams, facet_groups, hit_views, run_search

router = Router(tags=["search"])

FACET_HELP = "Repeat the parameter for several values; values of one facet are alternatives."


class SearchFilters(Schema):
    content_type: list[QueryText] = Field(default_factory=list, description=FACET_HELP)
    country: list[QueryText] = Field(default_factory=list, description="ISO 3166 alpha-3 codes.")
    topic: list[QueryText] = Field(default_factory=list)
    target_population: list[QueryText] = Field(default_factory=list)
    status: list[QueryText] = Field(default_factory=list)
    exchange_method: list[QueryText] = Field(default_factory=list)
    sdg: list[QueryText] = Field(default_factory=list)
    sector: list[QueryText] = Field(default_factory=list)
    macrozone: list[QueryText] = Field(default_factory=list)
    support_type: list[QueryText] = Field(default_factory=list)
    language: list[QueryText] = Field(default_factory=list)
    year: list[QueryText] = Field(default_factory=list)


class HitOut(Schema):
    type: str
    type_label: str
    id: str
    language: str
    title: str
    url: str
    date: datetime.date | None
    title_html: str = Field(description="The title, HTML-escaped, matches wrapped in <mark>.")
    snippet_html: str = Field(description="An excerpt, HTML-escaped, matches in <mark>.")
    countries: list[str]


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetOut(Schema):
    name: str
    label: str
    values: list[FacetValueOut]


class SearchOut(Schema):
    query: str
    total: int
    page: int
    per_page: int
    pages: int
    sort: str
    filters: dict[str, list[str]]
    hits: list[HitOut]
    facets: list[FacetOut]
    suggestion: str | None = Field(description="A corrected query, when nothing matched.")


class SuggestionOut(Schema):
    title: str
    url: str
    type: str
    type_label: str
    language: str


def _language(code):
    return code if code in ("en", "es") else "en"


@router.get("/", response=SearchOut, url_name="search", summary="Search everything")
def search(
    request,
    filters: Query[SearchFilters],
    q: QueryText = Query("", description="Words to look for; any text is accepted."),
    sort: QueryText = Query("relevance", description="`relevance` or `date` (newest first)."),
    page: int = Query(1, ge=1),
    per_page: int = Query(20, ge=1, le=MAX_PER_PAGE),
    lang: QueryText = Query("en", description="Language of the labels: `en` or `es`."),
):
    """Published program profiles, approved articulators, library documents and pages.
    Facet counts ignore the facet's own filter, so they show what choosing a further value
    of the same facet would add."""
    params = SearchParams(
        text=q,
        filters={name: values for name, values in filters.dict().items() if values},
        sort=sort, page=page,
    )
    with translation.override(_language(lang)):
        results = run_search(params, per_page=per_page)
        return {
            "query": results.request.text,
            "total": results.total,
            "page": results.request.page,
            "per_page": results.request.per_page,
            "pages": results.pages,
            "sort": results.request.sort,
            "filters": {name: list(values) for name, values in results.request.filters},
            "hits": [
                {"type": item.content_type, "type_label": item.content_type_label,
                 "id": item.hit.object_id, "language": item.language, "title": item.hit.title,
                 "url": item.url, "date": item.date, "title_html": str(item.title_html),
                 "snippet_html": str(item.snippet_html), "countries": item.country_labels}
                for item in hit_views(results)
            ],
            "facets": [
                {"name": group.name, "label": group.label, "values": [
                    {"value": option.value, "label": option.label, "count": option.count,
                     "selected": option.selected} for option in group.options
                ]}
                for group in facet_groups(params, results)
            ],
            "suggestion": results.suggestion,
        }


@router.get("/suggest/", response=list[SuggestionOut], url_name="search_suggest",
            summary="Complete a search")
def suggest(request, q: QueryText = "", limit: int = Query(8, ge=1, le=20),
            lang: QueryText = "en"):
    """Titles whose words start with the words typed so far (for the search box)."""
    from search.documents import registered_types

    types = registered_types()
    with translation.override(_language(lang)):
        return [
            {"title": item.title, "url": item.url, "type": item.content_type,
             "type_label": str(types[item.content_type].label)
             if item.content_type in types else item.content_type,
             "language": item.language}
            for item in get_backend().suggest(q, limit=limit)
        ]
