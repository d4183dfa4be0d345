"""The registry as open data: CSV, XLSX and JSON of the approved entries.

Only published entries are exported, and never a contact email: the one place that decides
which columns exist is ``EXPORT_COLUMNS``.
"""

import csv
import io
import json

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programs.models import Articulator

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def _answer(value):
    return {True: "yes", False: "no"}.get(value, "")


def _names(items):
    return "; ".join(item.name for item in items)


def _keys(items):
    return "; ".join(item.key for item in items)


def _region_codes(items):
    return "; ".join(item.code for item in items)


def _date(value):
    return value.date().isoformat() if value else ""


def _profile_url(entry):
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "programs:articulator_detail", kwargs={"pk": entry.pk})


# (column, heading, value) — the headings are the stable column names of the files.
EXPORT_COLUMNS = [
    ("id", _("Identifier"), lambda e: e.pk),
    ("name", _("Organisation name"), lambda e: e.name),
    ("legal_form", _("Legal form"), lambda e: e.legal_form),
    ("sector", _("Sector (key)"), lambda e: e.sector.key),
    ("sector_name", _("Sector"), lambda e: e.sector.name),
    ("country", _("Country (ISO code)"), lambda e: e.country.iso3),
    ("country_name", _("Country"), lambda e: e.country.name),
    ("head_office_region", _("Head office region (code)"),
     lambda e: e.head_office_region.code if e.head_office_region else ""),
    ("head_office_region_name", _("Head office region"),
     lambda e: e.head_office_region.name if e.head_office_region else ""),
    ("macrozone", _("Macrozone"), lambda e: e.macrozone.name if e.macrozone else ""),
    ("regions", _("Regions where it works (codes)"), lambda e: _region_codes(e.regions.all())),
    ("region_names", _("Regions where it works"), lambda e: _names(e.regions.all())),
    ("scope", _("Scope (key)"), lambda e: e.scope.key),
    ("scope_name", _("Scope"), lambda e: e.scope.name),
    ("support_types", _("Support provided (keys)"), lambda e: _keys(e.support_types.all())),
    ("support_type_names", _("Support provided"), lambda e: _names(e.support_types.all())),
    ("runs_linkage_activities", _("Runs linkage activities"),
     lambda e: _answer(e.runs_linkage_activities)),
    ("linkage_description", _("How it links with other actors"),
     lambda e: e.linkage_description),
    ("has_alliances", _("Has made alliances"), lambda e: _answer(e.has_alliances)),
    ("alliances_description", _("Alliances it has made"), lambda e: e.alliances_description),
    ("poverty_topics", _("Poverty topics (keys)"), lambda e: _keys(e.poverty_topics.all())),
    ("poverty_topic_names", _("Poverty topics"), lambda e: _names(e.poverty_topics.all())),
    ("website", _("Website"), lambda e: e.website),
    ("description", _("About the organisation"), lambda e: e.description),
    ("contact_name", _("Contact person"), lambda e: e.contact_name),
    ("registered_on", _("Registered on"), lambda e: _date(e.registered_at)),
    ("last_confirmed_on", _("Data last confirmed on"), lambda e: _date(e.last_confirmed_at)),
    ("profile_url", _("Profile page"), _profile_url),
]


def exportable(queryset=None):
    queryset = Articulator.objects.all() if queryset is None else queryset
    return (
        queryset.filter(live=True)
        .select_related("sector", "country", "scope", "head_office_region__macrozone")
        .prefetch_related("regions", "support_types", "poverty_topics")
        .order_by("name", "pk")
    )


def export_rows(queryset=None):
    for entry in exportable(queryset):
        yield [value(entry) for _column, _heading, value in EXPORT_COLUMNS]


def export_csv(queryset=None):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column for column, _heading, _value in EXPORT_COLUMNS])
    writer.writerows([_spreadsheet_safe(value) for value in row] for row in export_rows(queryset))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets Excel read UTF-8


def export_json(queryset=None):
    columns = [column for column, _heading, _value in EXPORT_COLUMNS]
    entries = [dict(zip(columns, row, strict=True)) for row in export_rows(queryset)]
    return json.dumps({"count": len(entries), "entries": entries}, ensure_ascii=False,
                      indent=2).encode("utf-8")


def export_xlsx(queryset=None):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Registry"))[:31]
    sheet.append([str(heading) for _column, heading, _value in EXPORT_COLUMNS])
    sheet.append([column for column, _heading, _value in EXPORT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in export_rows(queryset):
        sheet.append([_spreadsheet_safe(value) for value in row])
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _spreadsheet_safe(value):
    """Text a spreadsheet would read as a formula is written as plain text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


EXPORTERS = {"csv": export_csv, "xlsx": export_xlsx, "json": export_json}
