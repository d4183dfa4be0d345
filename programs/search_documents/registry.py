"""What the discovery search (search/) holds of the ecosystem registry: approved entries only,
described by their public fields (never the contact email)."""

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from programs.models import Articulator, ArticulatorSector, Macrozone, SupportType
from search.documents import SearchDocument, indexed_type, register
from search.facets import register_labels


def _published_entries():
    return Articulator.objects.select_related(
        "sector", "country", "scope", "head_office_region__macrozone",
    ).prefetch_related("regions", "support_types", "poverty_topics")


@register("articulator", model=Articulator, label=_("Ecosystem organisation"),
          is_public=lambda entry: entry.live, queryset=_published_entries)
def articulator_document(entry):
    language = entry.language if entry.language in ("en", "es") else "en"
    with translation.override(language):
        url = reverse("programs:articulator_detail", kwargs={"pk": entry.pk})
        place = ", ".join(filter(None, [
            entry.head_office_region.name if entry.head_office_region else "",
            entry.country.name]))
        body = "\n".join(filter(None, [
            entry.description, entry.legal_form, entry.sector.name, place,
            entry.linkage_description, entry.alliances_description,
            ", ".join(kind.name for kind in entry.support_types.all()),
            ", ".join(topic.name for topic in entry.poverty_topics.all()),
        ]))
    macrozone = entry.macrozone
    return SearchDocument(
        title=entry.name, url=url, language=language, body=body,
        summary=entry.description or place,
        date=entry.registered_at.date(),
        facets={
            "country": [entry.country.iso3],
            "sector": [entry.sector.key],
            "support_type": [kind.key for kind in entry.support_types.all()],
            "macrozone": [macrozone.key] if macrozone else [],
            "year": [str(entry.registered_at.year)],
        },
    )


def index_entries_after_commit(pks):
    """Index entries written without save() signals (the demo's bulk insert)."""
    from search.backends import get_backend

    def index():
        indexed = indexed_type("articulator")
        documents = []
        for entry in _published_entries().filter(pk__in=list(pks)):
            documents.extend(indexed.documents_for(entry))
        if documents:
            get_backend().index(documents)

    transaction.on_commit(index)


def _term_labels(model):
    return lambda keys: {term.key: term.name for term in model.objects.filter(key__in=keys)}


register_labels("sector", _term_labels(ArticulatorSector))
register_labels("support_type", _term_labels(SupportType))
register_labels("macrozone", lambda keys: {
    zone.key: zone.name for zone in Macrozone.objects.filter(key__in=keys)})
