"""Uploads are checked by size, type and content, and library documents are never served as
something a browser would render or run."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.images.models import Image
from wagtail.models import Collection

from programs.models import LibraryDocument
from tests.programs.test_library import docx_bytes, upload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
       b"<script>alert(1)</script></svg>")
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa75\x81"
       b"\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def bare_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", HTML)
    return buffer.getvalue()


def add_document(client, name, content):
    return client.post("/admin/documents/add/", {
        "title": name, "collection": Collection.get_first_root_node().pk, "language": "en",
        "document_type": "report", "file": SimpleUploadedFile(name, content)})


@pytest.fixture
def admin_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.mark.parametrize(("name", "content"), [
    ("report.pdf", PDF),
    ("report.docx", None),  # a real Word file, made below
    ("figures.csv", b"country,beneficiaries\nCOL,120000\n"),
    ("notes.txt", "Notas de la reunión.\n".encode()),
])
def test_documents_whose_content_matches_their_type_are_accepted(admin_client, name, content):
    response = add_document(admin_client, name, content or docx_bytes("Informe"))
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert LibraryDocument.objects.filter(title=name).exists()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("report.pdf", HTML, "The content of report.pdf is not a .pdf file"),
    ("drawing.pdf", SVG, "The content of drawing.pdf is not a .pdf file"),
    ("report.docx", bare_zip(), "The content of report.docx is not a .docx file"),
    ("report.docx", PDF, "The content of report.docx is not a .docx file"),
    ("notes.txt", HTML, "The content of notes.txt is not a .txt file"),
    ("table.csv", b"  <svg onload=alert(1)>", "The content of table.csv is not a .csv file"),
    ("page.html", HTML, "File extension “html” is not allowed"),
    ("drawing.svg", SVG, "File extension “svg” is not allowed"),
])
def test_documents_of_another_type_or_disguised_are_refused(admin_client, name, content,
                                                           message):
    response = add_document(admin_client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LibraryDocument.objects.exists()


def test_documents_over_the_size_limit_are_refused_naming_the_limit(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = add_document(admin_client, "big.pdf", PDF + b"%" * 2048)
    assert response.status_code == 200
    assert "Maximum filesize 1.0\xa0KB" in response.content.decode()
    assert not LibraryDocument.objects.exists()


def test_the_multiple_uploader_checks_content_too(admin_client):
    response = admin_client.post("/admin/documents/multiple/add/", {
        "files[]": SimpleUploadedFile("report.pdf", HTML),
        "collection": Collection.get_first_root_node().pk})
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert "is not a .pdf file" in response.json()["error_message"]
    assert not LibraryDocument.objects.exists()


def test_a_document_is_served_as_a_download_that_nothing_renders(client, commit):
    for name, content, content_type in [
            ("report.pdf", PDF, "application/pdf"),
            ("notes.txt", b"<b>just text</b>", "text/plain; charset=utf-8")]:
        document = upload(commit, name, content)
        response = client.get(document.url)
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'"


def add_image(client, name, content):
    return client.post("/admin/images/add/", {
        "title": name, "collection": Collection.get_first_root_node().pk,
        "file": SimpleUploadedFile(name, content)})


def test_images_are_checked_by_content_type_and_size(admin_client, settings):
    assert add_image(admin_client, "dot.png", PNG).status_code == 302
    for name, content, message in [
            ("dot.png", HTML, "Not a valid .png image"),
            ("drawing.png", SVG, "Not a valid .png image"),
            ("drawing.svg", SVG, "Not a supported image format"),
            ("dot.jpg", PNG, "Not a valid .jpeg image")]:
        response = add_image(admin_client, name, content)
        assert response.status_code == 200
        assert message in response.content.decode(), name
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 64
    response = add_image(admin_client, "big.png", PNG)
    assert "Maximum filesize 64\xa0bytes" in response.content.decode()
    assert Image.objects.count() == 1


def test_profile_imports_refuse_markup_and_files_over_the_limit(admin_client, settings):
    response = admin_client.post("/en/programs/import/", {
        "file": SimpleUploadedFile("profiles.csv", HTML)})
    assert "holds HTML or XML" in response.content.decode()
    settings.PORTAL_MAX_IMPORT_SIZE = 100
    response = admin_client.post("/en/programs/import/", {
        "file": SimpleUploadedFile("profiles.csv", b"external_id,country\n" * 10)})
    assert "files may be at most 100\xa0bytes" in response.content.decode()


def test_workshop_files_over_the_limit_are_refused(client, organiser, settings):
    settings.PORTAL_MAX_IMPORT_SIZE = 100
    client.force_login(organiser)
    response = client.post("/en/workshops/import/", {
        "file": SimpleUploadedFile("workshop.json", b"{" + b" " * 200 + b"}")})
    assert response.status_code == 200
    assert "files may be at most 100\xa0bytes" in response.content.decode()


def test_stored_documents_are_not_checked_again_on_every_edit(commit):
    """Only a new file is checked: a document saved before this check keeps its metadata
    editable (the check reads the upload, not the stored file)."""
    document = upload(commit, "legacy.pdf", b"not really a pdf")
    document.title = "Legacy report"
    document.full_clean()
    document.file = ContentFile(HTML, name="replacement.pdf")
    with pytest.raises(ValidationError, match=r"is not a \.pdf file"):
        document.full_clean()
