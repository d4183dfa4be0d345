"""Exports of published profiles to CSV, XLSX and JSON, in the shape imports read back.

Spreadsheet cells that a spreadsheet program would run as a formula (starting with =, +,
-, @, a tab or a carriage return) are written with a leading apostrophe, which spreadsheets
show as text and the importer removes again.
"""

import csv
import io
import json
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from programs.services.profiles import COLUMNS, KEY_COLUMNS, record_from_pages

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "


def neutralise(text):
    """Text a spreadsheet will show rather than evaluate."""
    if isinstance(text, str) and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def profile_records(pages):
    """One record per profile (all its live languages) for the given live pages."""
    from programs.models import ProgramProfilePage

    pages = list(pages)
    keys = [page.translation_key for page in pages]
    versions = {}
    live = (
        ProgramProfilePage.objects.live().filter(translation_key__in=keys)
        .select_related("locale", "country")
        .prefetch_related(*KEY_COLUMNS.keys())
    )
    for page in live:
        versions.setdefault(page.translation_key, {})[page.locale.language_code] = page
    return [record_from_pages(versions[key]) for key in dict.fromkeys(keys) if key in versions]


def _cell(column, value):
    if column.kind == "keys":
        return LIST_SEPARATOR.join(value or [])
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return value


def table_rows(records):
    """The header row (both languages' names) and one row per record."""
    yield [column.header for column in COLUMNS]
    for record in records:
        yield [_cell(column, record.get(column.key)) for column in COLUMNS]


def export_csv(records):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in table_rows(records):
        writer.writerow([neutralise(value) if isinstance(value, str) else value
                         for value in row])
    # The BOM lets spreadsheet programs recognise UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(records, *, sheet_title="Profiles"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for number, row in enumerate(table_rows(records)):
        cells = []
        for value in row:
            if isinstance(value, Decimal):
                value = float(value) if value != value.to_integral() else int(value)
            cells.append(neutralise(value) if isinstance(value, str) else value)
        sheet.append(cells)
        if number == 0:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_json(records):
    def plain(value):
        if isinstance(value, Decimal):
            return str(value)
        return value

    data = [{key: plain(value) for key, value in record.items()} for record in records]
    return json.dumps({"profiles": data}, ensure_ascii=False, indent=2).encode("utf-8")


def template_xlsx():
    """An empty profiles sheet with both languages' headers, and a sheet of allowed values."""
    from django.apps import apps
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(export_xlsx([])))
    values = workbook.create_sheet("Values - Valores")
    values.append(["Column / Columna", "Value to write / Valor a escribir", "English",
                   "Español"])
    for cell in values[1]:
        cell.font = Font(bold=True)
    columns = {column.key: column for column in COLUMNS}
    for column_key, (app_label, model_name, attribute) in KEY_COLUMNS.items():
        model = apps.get_model(app_label, model_name)
        for obj in model.objects.all():
            english = getattr(obj, "name_en", None) or getattr(obj, "text_en", "")
            spanish = getattr(obj, "name_es", None) or getattr(obj, "text_es", "")
            values.append([columns[column_key].header, str(getattr(obj, attribute)),
                           english, spanish])
    for key, english, spanish in [("national", "National", "Nacional"),
                                  ("subnational", "Subnational", "Subnacional"),
                                  ("local", "Local", "Local")]:
        values.append([columns["area_of_influence"].header, key, english, spanish])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


EXPORTERS = {
    "csv": (export_csv, "text/csv; charset=utf-8"),
    "xlsx": (export_xlsx,
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": (export_json, "application/json"),
}
