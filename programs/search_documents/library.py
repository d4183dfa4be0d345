"""What the discovery search holds of the document library: every document outside a
restricted collection, findable by the text of its file."""

from django.utils.translation import gettext_lazy as _

from programs.models import LibraryDocument
from search.documents import SearchDocument, register


def _library_documents():
    return LibraryDocument.objects.select_related("country", "collection").prefetch_related(
        "topics")


def is_public(document):
    return not document.collection.get_view_restrictions().exists()


@register("document", model=LibraryDocument, label=_("Library document"),
          is_public=is_public, queryset=_library_documents)
def library_document(document):
    return SearchDocument(
        title=document.title, url=document.url, language=document.language,
        summary=document.summary or document.extracted_text[:300],
        body="\n".join(filter(None, [document.summary, document.extracted_text])),
        date=document.created_at.date(),
        facets={
            "country": [document.country.iso3] if document.country_id else [],
            "topic": [topic.key for topic in document.topics.all()],
            "year": [str(document.year)] if document.year else [],
        },
    )
