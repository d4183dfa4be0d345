"""The portal's sections, reached from the main navigation and the home page's entry points.

A section is a Django view (named by ``url_name``) or a CMS page found by a ``resolver``: the
dotted path of a function returning the section's URL in the active language, or None. The
home page's entry points and the main navigation name a section by key; each app adds its
own here when it provides the section, and a section that does not resolve is not shown.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    url_name: str | None
    label: str | Promise
    resolver: str | None = None

    def url(self):
        if self.resolver:
            return import_string(self.resolver)()
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


SECTIONS = {
    # The programs index is a Wagtail page, one per language.
    "programs": Section(None, _("Programs"),
                        resolver="programs.navigation.programs_index_url"),
    "articulators": Section("programs:articulator_directory", _("Ecosystem registry")),
    "search": Section("search:search", _("Search")),
    "workshops": Section("matchmaking:workshop_list", _("Workshops")),
}


def section_url(key):
    section = SECTIONS.get(key)
    return section.url() if section is not None else None


def section_links():
    links = []
    for key, section in SECTIONS.items():
        url = section.url()
        if url:
            links.append({"key": key, "label": section.label, "url": url})
    return links
