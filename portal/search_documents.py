"""The portal's CMS pages in the discovery search (see search.documents)."""

import html

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from portal.models import HomePage, NewsPage, StandardPage
from search.documents import SearchDocument, register


def html_to_text(value):
    return html.unescape(strip_tags(str(value or "")))


def stream_text(page, field_name):
    field = page._meta.get_field(field_name)
    return "\n".join(html_to_text(text) for text in field.get_searchable_content(
        getattr(page, field_name)))


def page_is_public(page):
    return page.live and not page.expired and not page.get_view_restrictions().exists()


def _page_date(page):
    if isinstance(page, NewsPage):
        return page.date
    published = page.last_published_at or page.first_published_at
    return published.date() if published else None


@register(
    "page",
    model=(HomePage, StandardPage, NewsPage),
    label=_("Page"),
    is_public=page_is_public,
    queryset=lambda: Page.objects.type(HomePage, StandardPage, NewsPage).specific(),
)
def page_document(page):
    url = page.get_url()
    if not url:
        return None
    parts = []
    if isinstance(page, HomePage):
        parts.append(html_to_text(page.purpose))
    else:
        parts.append(page.introduction)
    parts.append(stream_text(page, "body"))
    date = _page_date(page)
    return SearchDocument(
        title=page.title,
        url=url,
        language=page.locale.language_code,
        summary=page.search_description or (
            page.introduction if not isinstance(page, HomePage) else html_to_text(page.purpose)
        ),
        body="\n".join(part for part in parts if part),
        date=date,
        facets={"year": [str(date.year)] if date else []},
    )
