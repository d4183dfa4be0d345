"""The library's part of the demo: four documents made from excerpts of the seed documents
(programs/data/library.json), rendered as real PDF and DOCX files so that the search finds
them by what their files say. Documents are found by title: running it again adds nothing."""

import io
import json
from pathlib import Path

from django.core.files.base import ContentFile

from portal.models import Country
from portal.pdf import render_pdf
from programs.models import LibraryDocument, Topic

DATA = Path(__file__).resolve().parent / "data" / "library.json"


def load(stdout):
    created = 0
    for entry in json.loads(DATA.read_text(encoding="utf-8"))["documents"]:
        if LibraryDocument.objects.filter(title=entry["title"]).exists():
            continue
        document = LibraryDocument(
            title=entry["title"], language=entry["language"], year=entry["year"],
            document_type=entry["document_type"], summary=entry["summary"],
            country=Country.objects.get(iso3=entry["country"]),
        )
        document.file.save(entry["filename"], ContentFile(_file_bytes(entry)), save=False)
        document._set_document_file_metadata()
        document.save()
        document.topics.set(Topic.objects.filter(key__in=entry["topics"]))
        created += 1
    stdout.write(f"  library: {created} documents added")


def _file_bytes(entry):
    if entry["filename"].endswith(".docx"):
        import docx

        document = docx.Document()
        document.add_heading(entry["title"], level=1)
        for paragraph in entry["paragraphs"]:
            document.add_paragraph(paragraph)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    return render_pdf("programs/library/document_file.html", {"entry": entry})
