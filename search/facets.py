"""The facets of the discovery search and how their values are labelled.

Documents store facet *keys* (ISO codes, vocabulary keys, years); labels are looked up when
results are shown, in the active language, so renaming a country or a topic needs no
reindex. Apps that own a vocabulary register a labeller for its facet in their
`search_documents.py`: `register_labels("topic", lambda keys: {key: label, ...})`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    # "count": most frequent first; "value_desc": newest year first.
    order: str = "count"


FACETS = [
    Facet("content_type", _("Content type")),
    Facet("country", _("Country")),
    Facet("topic", _("Topic")),
    Facet("target_population", _("Target population")),
    Facet("status", _("Status")),
    Facet("exchange_method", _("Exchange method")),
    Facet("sdg", _("Sustainable Development Goal")),
    Facet("sector", _("Sector")),
    Facet("macrozone", _("Macrozone")),
    Facet("support_type", _("Support type")),
    Facet("language", _("Language")),
    Facet("year", _("Year"), order="value_desc"),
]
FACETS_BY_NAME = {facet.name: facet for facet in FACETS}
FACET_NAMES = tuple(FACETS_BY_NAME)

LANGUAGE_LABELS = {
    "en": _("English"), "es": _("Spanish"), "pt": _("Portuguese"), "fr": _("French"),
}

_labellers: dict[str, Callable] = {}


def register_labels(facet_name, labeller):
    """`labeller(keys) -> {key: label}` names the values of a facet in the active language."""
    if facet_name not in FACETS_BY_NAME:
        raise ValueError(f"Unknown search facet {facet_name!r}.")
    _labellers[facet_name] = labeller


def _content_type_labels(keys):
    from search.documents import registered_types

    types = registered_types()
    return {key: types[key].label for key in keys if key in types}


def _country_labels(keys):
    from portal.models import Country

    return {country.iso3: country.name for country in Country.objects.filter(iso3__in=keys)}


def _language_labels(keys):
    return {key: LANGUAGE_LABELS[key] for key in keys if key in LANGUAGE_LABELS}


def _fallback_label(key):
    return key.replace("_", " ").capitalize()


def labels_for(facet_name, keys):
    keys = list(keys)
    labeller = _labellers.get(facet_name) or {
        "content_type": _content_type_labels,
        "country": _country_labels,
        "language": _language_labels,
    }.get(facet_name)
    found = labeller(keys) if labeller and keys else {}
    return {key: str(found.get(key) or _fallback_label(key)) for key in keys}
