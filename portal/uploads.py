"""What the portal accepts as an uploaded file, in one place.

Every upload is checked three ways: its size against a limit from the settings, its type
against an allow-list of extensions, and its content against that type (the bytes must be
what the extension says: an HTML page or an SVG with a script renamed report.pdf is refused,
as browsers would otherwise be tempted to sniff and run it).

Library documents are checked from LibraryDocument.clean() (every Wagtail document form and
the multiple uploader run it); images by Wagtail's own image field, which reads them with
Willow and refuses an extension that does not match the format; the CSV, XLSX and JSON
imports (never stored as files nor served) by their own readers, which refuse what they
cannot parse, under the size limit below.
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Office formats are zip archives; the part that names what each one is.
ZIP_MARKERS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
ODF_MIMETYPES = {"odt": b"application/vnd.oasis.opendocument.text"}
TEXT_EXTENSIONS = {"txt", "csv"}

# What browsers take for HTML or XML when they sniff a file's first bytes (the WHATWG MIME
# sniffing standard's patterns, plus <svg and <?xml, which can carry scripts too).
MARKUP_OPENINGS = (
    b"<!doctype html", b"<html", b"<head", b"<script", b"<iframe", b"<h1", b"<div",
    b"<font", b"<table", b"<a", b"<style", b"<title", b"<b", b"<body", b"<br", b"<p",
    b"<!--", b"<?xml", b"<svg", b"<object", b"<embed", b"<img", b"<meta", b"<link",
)
SNIFFED_BYTES = 1024


def extension_of(name):
    return name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""


def check_size(upload, limit):
    """Refuse a file over ``limit`` bytes, naming the limit."""
    if limit is not None and upload.size > limit:
        raise ValidationError(size_message(upload.name, upload.size, limit),
                              code="file_too_large")


def size_message(name, size, limit):
    return _("%(name)s is %(size)s; files may be at most %(limit)s.") % {
        "name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}


def check_extension(name, allowed):
    extension = extension_of(name)
    if extension not in allowed:
        raise ValidationError(
            _("Files of type “%(extension)s” are not accepted; upload one of: %(allowed)s.")
            % {"extension": extension or _("(none)"),
               "allowed": ", ".join(sorted(allowed))},
            code="invalid_extension")


def looks_like_markup(head):
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n\x0c").lower()
    for opening in MARKUP_OPENINGS:
        if start.startswith(opening):
            rest = start[len(opening):len(opening) + 1]
            # A tag name ends with a space or ">"; "<!--" and "<?xml" need nothing after.
            if opening in (b"<!--", b"<?xml") or rest in (b" ", b">", b"\t", b"\n", b"/"):
                return True
    return False


def _mismatch(name, extension):
    return ValidationError(
        _("The content of %(name)s is not a .%(extension)s file; it may have been renamed. "
          "Upload the file in its own format.") % {"name": name, "extension": extension},
        code="content_mismatch")


def check_content(upload, extension):
    """Refuse a file whose bytes are not of the type its extension names."""
    name = upload.name
    upload.seek(0)
    head = upload.read(SNIFFED_BYTES)
    upload.seek(0)
    if extension == "pdf":
        if not head.startswith(b"%PDF-"):
            raise _mismatch(name, extension)
    elif extension in ZIP_MARKERS or extension in ODF_MIMETYPES:
        if not _is_office_file(upload, extension):
            raise _mismatch(name, extension)
    elif extension in TEXT_EXTENSIONS:
        if b"\x00" in head or looks_like_markup(head):
            raise _mismatch(name, extension)
    else:
        raise _mismatch(name, extension)


def _is_office_file(upload, extension):
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if extension in ODF_MIMETYPES:
                return ("mimetype" in names
                        and archive.read("mimetype").strip() == ODF_MIMETYPES[extension])
            return "[Content_Types].xml" in names and ZIP_MARKERS[extension] in names
    except (zipfile.BadZipFile, OSError, KeyError):
        return False
    finally:
        upload.seek(0)


def check_document(upload):
    """A library document: size, allow-listed type and matching content."""
    check_size(upload, settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)
    check_extension(upload.name, settings.WAGTAILDOCS_EXTENSIONS)
    check_content(upload, extension_of(upload.name))

