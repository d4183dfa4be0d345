"""The document library: the text of PDF and DOCX files is extracted and searchable, with
the document's metadata as facets; restricted collections and damaged files behave."""

import io

import docx
import pytest
import weasyprint
from django.core.files.base import ContentFile
from wagtail.models import Collection, CollectionViewRestriction

from programs.models import LibraryDocument, LibraryDocumentType, Topic
from programs.services.library import extract_text
from search.backends import get_backend

pytestmark = pytest.mark.django_db


def pdf_bytes(text):
    return weasyprint.HTML(string=f"<h1>Report</h1><p>{text}</p>").write_pdf()


def docx_bytes(text):
    document = docx.Document()
    document.add_heading("Informe", level=1)
    document.add_paragraph(text)
    table = document.add_table(rows=1, cols=1)
    table.rows[0].cells[0].text = "cuadro con cobertura rural"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(commit, name, data, *, collection=None, topics=(), **fields):
    def create():
        document = LibraryDocument(title=fields.pop("title", name), **fields)
        document.file.save(name, ContentFile(data), save=False)
        document._set_document_file_metadata()
        if collection is not None:
            document.collection = collection
        document.save()
        document.topics.set(topics)
        return document

    return commit(create)


def library_hits(text, **filters):
    filters = {"content_type": ["document"], **{k: [v] for k, v in filters.items()}}
    return get_backend().query(text, filters=filters, facets=["country", "topic", "year"])


def test_text_is_extracted_from_pdf_docx_and_plain_text():
    assert "graduation pathway evaluation" in extract_text(
        pdf_bytes("The graduation pathway evaluation of 2011."), "report.pdf")
    text = extract_text(docx_bytes("Evaluación de transferencias condicionadas."), "i.docx")
    assert "Evaluación de transferencias condicionadas." in text
    assert "cuadro con cobertura rural" in text
    assert extract_text("línea uno\nlínea dos".encode(), "notes.txt") == "línea uno línea dos"
    assert extract_text(b"\x89PNG...", "picture.png") == ""


def test_a_damaged_file_is_saved_without_text(commit):
    document = upload(commit, "broken.pdf", b"%PDF-1.7 this is not really a pdf")
    document.refresh_from_db()
    assert document.extracted_text == ""
    assert library_hits("broken").total == 1  # still found by its title


def test_a_word_only_in_the_file_finds_the_document_with_its_facets(commit, country):
    topic = Topic.objects.get(key="food_security")
    upload(commit, "school-meals.pdf", pdf_bytes("Menus prepared with smallholder harvests."),
           title="School meals evaluation", language="en", country=country, year=2011,
           document_type=LibraryDocumentType.EVALUATION, topics=[topic])
    upload(commit, "informe.docx", docx_bytes("Pensiones no contributivas en zonas rurales."),
           title="Informe de pensiones", language="es", year=2012)

    results = library_hits("smallholder")
    assert [hit.title for hit in results.hits] == ["School meals evaluation"]
    assert library_hits("pensión").hits[0].title == "Informe de pensiones"  # stemmed, accents

    everything = library_hits("")
    counts = {name: {entry.value: entry.count for entry in entries}
              for name, entries in everything.facets.items()}
    assert counts["country"] == {"COL": 1}
    assert counts["topic"] == {"food_security": 1}
    assert counts["year"] == {"2011": 1, "2012": 1}
    assert library_hits("", country="COL").total == 1
    assert library_hits("", topic="food_security", year="2012").total == 0


def test_replacing_the_file_replaces_the_indexed_text(commit):
    document = upload(commit, "v1.pdf", pdf_bytes("First draft about microcredit."))
    assert library_hits("microcredit").total == 1

    def replace():
        document.file.save("v2.pdf", ContentFile(pdf_bytes("Final text about apprenticeships.")),
                           save=False)
        document._set_document_file_metadata()
        document.save()

    commit(replace)
    document.refresh_from_db()
    assert "apprenticeships" in document.extracted_text
    assert library_hits("microcredit").total == 0
    assert library_hits("apprenticeships").total == 1

    commit(document.delete)
    assert library_hits("apprenticeships").total == 0


def test_documents_in_a_restricted_collection_stay_out_of_the_search(commit):
    private = Collection.get_first_root_node().add_child(name="Delegates only")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    upload(commit, "internal.pdf", pdf_bytes("Negotiation notes on budget lines."),
           collection=private)
    upload(commit, "public.pdf", pdf_bytes("Published notes on budget lines."))

    assert [hit.title for hit in library_hits("budget").hits] == ["public.pdf"]


def test_topics_set_after_the_document_reach_the_index(commit):
    document = upload(commit, "later.pdf", pdf_bytes("Care services for older people."))
    assert library_hits("", topic="food_security").total == 0
    commit(lambda: document.topics.set([Topic.objects.get(key="food_security")]))
    assert library_hits("", topic="food_security").total == 1


def test_a_moderator_uploads_a_document_with_its_metadata_in_the_admin(client, moderator,
                                                                        commit, country):
    client.force_login(moderator)
    topic = Topic.objects.get(key="food_security")
    form = {
        "title": "Rural pensions review", "collection": Collection.get_first_root_node().pk,
        "language": "es", "country": country.pk, "topics": [topic.pk], "year": "2013",
        "document_type": LibraryDocumentType.CASE_STUDY, "summary": "Revisión de pensiones.",
        "file": ContentFile(pdf_bytes("Coverage of rural pension schemes."), name="review.pdf"),
    }
    response = commit(lambda: client.post("/admin/documents/add/", form))

    assert response.status_code == 302, response.content.decode()[:2000]
    document = LibraryDocument.objects.get(title="Rural pensions review")
    assert (document.language, document.country, document.year) == ("es", country, 2013)
    assert list(document.topics.all()) == [topic]
    assert "rural pension schemes" in document.extracted_text
    assert library_hits("schemes", topic="food_security", country="COL").total == 1

    form["year"] = "1492"
    response = client.post("/admin/documents/add/", {**form, "title": "Too old"})
    assert response.status_code == 200
    assert "greater than or equal to 1900" in response.content.decode()
    assert not LibraryDocument.objects.filter(title="Too old").exists()


def test_the_demo_library_is_searchable_by_the_text_of_its_files(commit):
    from io import StringIO

    from programs import demo_library

    commit(lambda: demo_library.load(StringIO()))
    commit(lambda: demo_library.load(StringIO()))  # idempotent

    assert LibraryDocument.objects.count() == 4
    assert all(document.extracted_text for document in LibraryDocument.objects.all())
    assert {document.file.name.rsplit(".", 1)[-1] for document in
            LibraryDocument.objects.all()} == {"pdf", "docx"}
    assert library_hits("Chile Barrio").hits[0].title.startswith("Innovative Practices")
    assert library_hits("convocatorias", country="CHL").hits[0].title == (
        "Mesa de Innovación Social en Pobreza 2020-2021")
