"""From request parameters to what the search page and the JSON endpoint show.

Both read the same parameters: `q`, `sort` (relevance|date), `page`, and one repeated
parameter per facet (`?country=COL&country=PER&topic=pensions`). Labels are looked up here,
in the active language.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.safestring import mark_safe

from search.backends import get_backend
from search.backends.base import SearchResults
from search.documents import registered_types
from search.facets import FACET_NAMES, FACETS, LANGUAGE_LABELS, labels_for

PER_PAGE = 20
VISIBLE_VALUES = 8


@dataclass(frozen=True)
class SearchParams:
    text: str = ""
    filters: dict = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_querydict(cls, query):
        filters = {}
        for name in FACET_NAMES:
            values = [value for value in query.getlist(name) if value.strip()]
            if values:
                filters[name] = values
        return cls(text=query.get("q", ""), filters=filters, sort=query.get("sort", "relevance"),
                   page=query.get("page", 1))

    def pairs(self, *, text=None, filters=None, sort=None, page=None):
        """Query-string pairs for a URL with some parts changed; page 1 is left out."""
        text = self.text if text is None else text
        filters = self.filters if filters is None else filters
        sort = self.sort if sort is None else sort
        pairs = []
        if text:
            pairs.append(("q", text))
        for name in FACET_NAMES:
            pairs.extend((name, value) for value in filters.get(name, ()))
        if sort and sort != "relevance":
            pairs.append(("sort", sort))
        if page and int(page) > 1:
            pairs.append(("page", page))
        return pairs

    def url(self, **changes):
        pairs = self.pairs(**changes)
        return "?" + urlencode(pairs) if pairs else "?"

    def toggled(self, facet, value):
        filters = {name: list(values) for name, values in self.filters.items()}
        values = filters.setdefault(facet, [])
        if value in values:
            values.remove(value)
        else:
            values.append(value)
        return {name: values for name, values in filters.items() if values}


def run_search(params, per_page=PER_PAGE):
    return get_backend().query(params.text, filters=params.filters, facets=FACET_NAMES,
                               sort=params.sort, page=params.page, per_page=per_page)


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class FacetGroup:
    name: str
    label: str
    options: list[FacetOption]

    @property
    def visible(self):
        selected_hidden = [option for option in self.options[VISIBLE_VALUES:] if option.selected]
        return self.options[:VISIBLE_VALUES] + selected_hidden

    @property
    def more(self):
        return [option for option in self.options[VISIBLE_VALUES:] if not option.selected]


@dataclass
class ActiveFilter:
    facet_label: str
    label: str
    remove_url: str


def facet_groups(params, results: SearchResults):
    request_filters = results.request.filter_dict
    groups = []
    for facet in FACETS:
        counts = {item.value: item.count for item in results.facets.get(facet.name, [])}
        selected = set(request_filters.get(facet.name, ()))
        values = list(counts) + [value for value in selected if value not in counts]
        if not values:
            continue
        labels = labels_for(facet.name, values)
        options = [
            FacetOption(value=value, label=labels[value], count=counts.get(value, 0),
                        selected=value in selected,
                        url=params.url(filters=params.toggled(facet.name, value), page=1))
            for value in values
        ]
        if facet.order == "value_desc":
            options.sort(key=lambda option: option.value, reverse=True)
        else:
            options.sort(key=lambda option: (-option.count, option.label.casefold()))
        groups.append(FacetGroup(name=facet.name, label=str(facet.label), options=options))
    return groups


def active_filters(params, results):
    active = []
    for facet in FACETS:
        values = results.request.filter_dict.get(facet.name, ())
        labels = labels_for(facet.name, values)
        for value in values:
            active.append(ActiveFilter(
                facet_label=str(facet.label), label=labels[value],
                remove_url=params.url(filters=params.toggled(facet.name, value), page=1),
            ))
    return active


@dataclass
class HitView:
    title_html: str
    snippet_html: str
    url: str
    content_type: str
    content_type_label: str
    language: str
    language_label: str
    date: object
    country_labels: list[str]
    hit: object


def hit_views(results):
    types = registered_types()
    countries = {value for hit in results.hits for value in hit.facets.get("country", [])}
    country_labels = labels_for("country", countries)
    views = []
    for hit in results.hits:
        indexed = types.get(hit.content_type)
        views.append(HitView(
            title_html=mark_safe(hit.title_html),  # noqa: S308 - escaped by the backend
            snippet_html=mark_safe(hit.snippet_html),  # noqa: S308 - escaped by the backend
            url=hit.url,
            content_type=hit.content_type,
            content_type_label=str(indexed.label) if indexed else hit.content_type,
            language=hit.language,
            language_label=str(LANGUAGE_LABELS.get(hit.language, hit.language)),
            date=hit.date,
            country_labels=[country_labels[value] for value in hit.facets.get("country", [])],
            hit=hit,
        ))
    return views
