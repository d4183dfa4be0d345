"""The document library's writes: the text of each file, extracted when the file changes, so
that the discovery search finds a report by what it says and not only by its title."""

import io
import logging
import zipfile

logger = logging.getLogger(__name__)

# Enough for a long evaluation report; beyond it the index would only grow, not improve.
MAX_EXTRACTED_CHARACTERS = 200_000


def extract_text(data, filename):
    """The readable text of a PDF, DOCX or plain-text file; "" for other or unreadable files.

    A damaged or encrypted upload must not stop the document from being saved: it is still
    findable by its title, summary and metadata, and the log says why its text is missing.
    """
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    try:
        if extension == "pdf":
            text = _pdf_text(data)
        elif extension == "docx":
            text = _docx_text(data)
        elif extension in ("txt", "csv"):
            text = data.decode("utf-8", errors="replace")
        else:
            return ""
    except Exception as error:
        logger.warning("No text extracted from %s: %s", filename, error)
        return ""
    return " ".join(text.replace("\x00", " ").split())[:MAX_EXTRACTED_CHARACTERS]


def _pdf_text(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _docx_text(data):
    from docx import Document

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValueError("not a DOCX (zip) file")
    document = Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def refresh_extracted_text(document):
    """Set `extracted_text` from the file when the file is not the one it was taken from.
    Called before every save of a library document (see programs.apps)."""
    if not document.file:
        document.extracted_text, document.extracted_from = "", ""
        return
    source = f"{document.file.name}:{document.file_hash}"
    if source == document.extracted_from and document.pk:
        return
    document.file.open("rb")
    try:
        document.file.seek(0)
        data = document.file.read()
    finally:
        document.file.seek(0)
    document.extracted_text = extract_text(data, document.file.name)
    document.extracted_from = source


def on_library_document_pre_save(sender, instance, update_fields=None, raw=False, **kwargs):
    # A raw save (loaddata, import_network_data) stores the row exactly as it was archived.
    if raw:
        return
    if update_fields is None or "file" in update_fields:
        refresh_extracted_text(instance)


def on_library_topics_changed(sender, instance, action, **kwargs):
    """Topics are saved after the document itself: re-index once they are."""
    if action in ("post_add", "post_remove", "post_clear"):
        from search.signals import schedule_sync

        schedule_sync("document", instance.pk)
