"""PDF documents from the portal's print-friendly HTML templates, rendered by WeasyPrint.

Every printable sheet of the portal (program profiles, agendas, reports) goes through
``render_pdf``. WeasyPrint reads static and media files straight from disk and is refused
any other address, so rendering never waits on the network or on this server itself.
"""

from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


class PdfResourceRefused(ValueError):
    pass


def _local_file(url):
    path = unquote(urlparse(url).path)
    if path.startswith(settings.STATIC_URL):
        found = finders.find(path[len(settings.STATIC_URL):])
        if found:
            return Path(found)
        candidate = Path(settings.STATIC_ROOT) / path[len(settings.STATIC_URL):]
    elif path.startswith(settings.MEDIA_URL):
        candidate = Path(settings.MEDIA_ROOT) / path[len(settings.MEDIA_URL):]
    else:
        return None
    root = Path(settings.STATIC_ROOT if path.startswith(settings.STATIC_URL)
                else settings.MEDIA_ROOT).resolve()
    candidate = candidate.resolve()
    if root in candidate.parents and candidate.is_file():
        return candidate
    return None


def _local_files_fetcher():
    from weasyprint.urls import URLFetcher

    class LocalFilesFetcher(URLFetcher):
        """Serve static and media files from disk; refuse every other address."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _local_file(url)
            if path is None:
                raise PdfResourceRefused(f"Not available to PDF rendering: {url}")
            return super().fetch(path.as_uri(), headers)

    return LocalFilesFetcher()


def render_pdf(template_name, context, request=None):
    """Render ``template_name`` with ``context`` and return the PDF as bytes."""
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else (
        settings.PORTAL_BASE_URL.rstrip("/") + "/")
    return HTML(string=html, base_url=base_url, url_fetcher=_local_files_fetcher()).write_pdf()
