"""Bulk import of profiles from CSV or XLSX: upload, dry run, then confirm.

The upload is kept as an ``ImportBatch``. The dry run reads it, checks every row and lists
per row and per column what is wrong and what would change; nothing is written. On
confirmation the file is checked again and every valid row is written in one transaction,
matched by external id so that importing the same file twice updates rather than
duplicates. Rows with errors are left out and reported.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.uploads import SNIFFED_BYTES, looks_like_markup, size_message
from programs.services.exports import FORMULA_TRIGGERS
from programs.services.profiles import (
    COLUMNS,
    COLUMNS_BY_KEY,
    KEY_COLUMNS,
    ProfileError,
    find_profile,
    importable_countries,
    record_from_pages,
    resolve_keys,
    user_may_import,
    user_may_publish_directly,
    write_profile,
)

MAX_ROWS = 2000
MAX_COLUMNS = 200
BATCH_LIFETIME = timedelta(days=2)
LIST_SPLIT = re.compile(r"[;\n]|,(?!\d)")
EXTERNAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, for the uploader."""


@dataclass
class RowResult:
    number: int  # the row's line in the file, counting the header as 1
    external_id: str = ""
    title: str = ""
    action: str = "error"  # new, update, unchanged, error
    errors: dict = field(default_factory=dict)  # column key -> message ("" for the row)
    changes: list = field(default_factory=list)  # (column, old, new)
    record: dict | None = None

    @property
    def is_valid(self):
        return not self.errors

    def error_list(self):
        for key, message in self.errors.items():
            column = COLUMNS_BY_KEY.get(key)
            yield (column.header if column else ""), message


@dataclass
class Preview:
    rows: list
    ignored_headers: list

    @property
    def counts(self):
        counts = {"new": 0, "update": 0, "unchanged": 0, "error": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def writable(self):
        return [row for row in self.rows if row.action in {"new", "update"}]


# -- reading files ----------------------------------------------------------------------------

def detect_format(filename, content):
    name = (filename or "").lower()
    is_zip = content[:4] == b"PK\x03\x04"
    if name.endswith(".xlsx"):
        if not is_zip:
            raise ImportFileError(_("This file is named .xlsx but is not an Excel workbook."))
        return "xlsx"
    if name.endswith(".csv"):
        if is_zip:
            raise ImportFileError(
                _("This file is named .csv but is a workbook; name it .xlsx or save it as CSV."))
        if looks_like_markup(content[:SNIFFED_BYTES]):
            raise ImportFileError(
                _("This file is named .csv but holds HTML or XML; save the table as CSV."))
        return "csv"
    raise ImportFileError(_("Upload a .csv or .xlsx file; %(name)s is neither.")
                          % {"name": filename or _("this file")})


def read_table(content, file_format):
    """Header and rows of the file, as lists of strings (or numbers and dates for XLSX)."""
    rows = parse_xlsx(content) if file_format == "xlsx" else parse_csv(content)
    rows = [row for row in rows if any(_present(value) for value in row)]
    if not rows:
        raise ImportFileError(_("The file is empty: it needs a header row and one row per "
                                "profile."))
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(_("The file has %(count)s rows; import at most %(max)s at a time.")
                              % {"count": len(rows) - 1, "max": MAX_ROWS})
    return rows[0], rows[1:]


def _present(value):
    return value is not None and str(value).strip() != ""


def parse_csv(content):
    """Rows of a CSV file in UTF-8 (or Windows-1252), separated by commas, semicolons or tabs.

    Raises ImportFileError for anything that is not such a file; never anything else.
    """
    if not isinstance(content, bytes | bytearray):
        raise ImportFileError(_("The file could not be read."))
    if b"\x00" in content:
        raise ImportFileError(_("This is not a text file; save the spreadsheet as CSV (UTF-8) "
                                "or upload it as .xlsx."))
    try:
        text = bytes(content).decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = bytes(content).decode("cp1252")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _("The file's characters could not be read; save it as CSV (UTF-8).")
            ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            if len(row) > MAX_COLUMNS:
                raise ImportFileError(_("Line %(line)s has more than %(max)s columns.")
                                      % {"line": reader.line_num, "max": MAX_COLUMNS})
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file is malformed near line %(line)s (%(problem)s). Check its quotes.")
            % {"line": reader.line_num, "problem": error}
        ) from error
    return rows


def parse_xlsx(content):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise ImportFileError(_("This workbook could not be opened; save it again as .xlsx.")
                              ) from error
    except Exception as error:  # openpyxl raises a variety of parser errors on damaged files
        raise ImportFileError(_("This workbook could not be opened; save it again as .xlsx.")
                              ) from error
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
    except Exception as error:
        raise ImportFileError(_("This workbook could not be read; save it again as .xlsx.")
                              ) from error
    finally:
        workbook.close()
    return rows


def _normalise_header(text):
    return " ".join(str(text or "").replace("\ufeff", "").split()).casefold()


HEADER_NAMES = {}
for _column in COLUMNS:
    for _name in (_column.key, _column.label_en, _column.label_es, _column.header):
        HEADER_NAMES[_normalise_header(_name)] = _column.key


def map_headers(header):
    """{position: column key} and the headers that name no column."""
    mapping, ignored, seen = {}, [], {}
    for position, name in enumerate(header):
        if not _present(name):
            continue
        key = HEADER_NAMES.get(_normalise_header(name))
        if key is None:
            ignored.append(str(name))
            continue
        if key in seen:
            raise ImportFileError(_("The column “%(name)s” appears twice.")
                                  % {"name": COLUMNS_BY_KEY[key].header})
        seen[key] = position
        mapping[position] = key
    missing = [COLUMNS_BY_KEY[key].header for key in ("external_id", "country", "title_en")
               if key not in seen]
    if missing:
        raise ImportFileError(
            _("Required column(s) missing: %(columns)s. Download the template to see the "
              "expected headers.") % {"columns": "; ".join(missing)})
    return mapping, ignored


# -- checking rows ------------------------------------------------------------------------------

def clean_text(value):
    """The cell as text. Raises ValidationError for a spreadsheet formula."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d") if value else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n")
    if text.startswith("'") and text[1:2] and text[1] in "".join(FORMULA_TRIGGERS):
        return text[1:].strip()  # neutralised by our own export
    stripped = text.lstrip(" ")
    if stripped.startswith(("=", "@", "\t", "\r")) or (
        stripped[:1] in {"+", "-"} and stripped[1:2] not in {" ", ""}
    ):
        raise ValidationError(
            _("This cell starts like a spreadsheet formula (%(start)s), which is not accepted. "
              "Write the text without it, or start the cell with an apostrophe (').")
            % {"start": stripped[:12]})
    return text.strip()


def _clean_cell(key, value):
    from programs.models import AreaOfInfluence, ProgramProfilePage

    column = COLUMNS_BY_KEY[key]
    if column.kind == "date" and isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d")
    if column.kind in {"integer", "decimal"} and isinstance(value, int | float) and not (
        isinstance(value, bool)
    ):
        text = str(int(value)) if float(value).is_integer() else str(value)
    else:
        text = clean_text(value)
    if column.kind == "keys":
        return [part.strip() for part in LIST_SPLIT.split(text) if part.strip()]
    if column.kind == "date":
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]
        from programs.models.profiles import check_partial_date

        check_partial_date(text)
        return text
    if column.kind == "decimal":
        if not text:
            return None
        try:
            number = Decimal(text.replace(" ", "").replace(",", ""))
        except InvalidOperation as error:
            raise ValidationError(_("“%(value)s” is not a number.") % {"value": text}) from error
        if number < 0 or not number.is_finite():
            raise ValidationError(_("The amount cannot be negative."))
        if abs(number.as_tuple().exponent) > 2 or number >= Decimal("1e14"):
            raise ValidationError(_("Use at most 14 digits and 2 decimals."))
        return number
    if column.kind == "integer":
        if not text:
            return None
        cleaned = text.replace(" ", "").replace(",", "").replace(".", "") if (
            re.fullmatch(r"\d{1,3}([ ,.]\d{3})+", text)) else text
        if not cleaned.isdigit():
            raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": text})
        number = int(cleaned)
        if key == "funding_year" and not 1900 <= number <= 2100:
            raise ValidationError(_("The year must be between 1900 and 2100."))
        if number > 2_147_483_647:
            raise ValidationError(_("This number is too large."))
        return number
    if column.kind == "choice":
        if not text:
            return AreaOfInfluence.NATIONAL
        for choice_value, label in AreaOfInfluence.choices:
            if text.casefold() in {choice_value, str(label).casefold(),
                                   str(label).split(" (")[0].casefold()}:
                return choice_value
        spanish = {"nacional": "national", "subnacional": "subnational", "local": "local"}
        if text.casefold().split(" (")[0] in spanish:
            return spanish[text.casefold().split(" (")[0]]
        raise ValidationError(_("Write national, subnational or local."))
    if column.kind == "url":
        if text:
            URLValidator(schemes=["http", "https"])(text)
        return text
    if column.kind in {"text", "lines", "country"} or column.kind == "richtext":
        if column.kind == "text" and "\n" in text and key != "title_en":
            text = " ".join(text.split())
        model_field = ProgramProfilePage._meta.get_field(column.page_field) if (
            column.kind == "text" and column.page_field not in {"country"}) else None
        limit = getattr(model_field, "max_length", None)
        if limit and len(text) > limit:
            raise ValidationError(_("At most %(max)s characters (this has %(count)s).")
                                  % {"max": limit, "count": len(text)})
        if key == "funding_currency":
            text = text.upper()
            if text and not re.fullmatch(r"[A-Z]{3}", text):
                raise ValidationError(_("Use the three-letter ISO 4217 code, e.g. USD."))
        if key == "title_en" and "\n" in text:
            text = " ".join(text.split())
        return text
    return text


def check_rows(header, rows, user):
    """Read every row against the rules and the database; write nothing."""
    from portal.models import Country

    mapping, ignored = map_headers(header)
    allowed_countries = importable_countries(user)
    countries = {}
    for country in Country.objects.all():
        for name in (country.iso3, country.iso2, country.name_en, country.name_es):
            if name:
                countries.setdefault(name.casefold(), country)
    first_row_of = {}
    results = []
    for offset, row in enumerate(rows):
        result = RowResult(number=offset + 2)
        values = {}
        for position, key in mapping.items():
            raw = row[position] if position < len(row) else None
            try:
                values[key] = _clean_cell(key, raw)
            except ValidationError as error:
                result.errors[key] = " ".join(error.messages)
        result.external_id = values.get("external_id") or ""
        result.title = values.get("title_en") or ""
        for key in ("external_id", "country", "title_en"):
            if key not in result.errors and not values.get(key):
                result.errors[key] = _("This column is required.")
        external_id = values.get("external_id")
        if external_id and "external_id" not in result.errors:
            if not EXTERNAL_ID.match(external_id) or len(external_id) > 64:
                result.errors["external_id"] = _(
                    "Use up to 64 letters, digits, dots, dashes and underscores.")
            elif external_id in first_row_of:
                result.errors["external_id"] = _(
                    "%(id)s is also in row %(row)s; each profile may appear once.") % {
                    "id": external_id, "row": first_row_of[external_id]}
                results[first_row_of[external_id] - 2].errors.setdefault(
                    "external_id", _("%(id)s appears again in row %(row)s.") % {
                        "id": external_id, "row": result.number})
            else:
                first_row_of[external_id] = result.number
        country = None
        if values.get("country") and "country" not in result.errors:
            country = countries.get(values["country"].casefold())
            if country is None:
                result.errors["country"] = _("Unknown country “%(value)s”; use its ISO code, "
                                             "e.g. COL.") % {"value": values["country"]}
            elif allowed_countries is not None and country.pk not in allowed_countries:
                result.errors["country"] = _("You may only import profiles of your own "
                                             "country.")
            else:
                values["country"] = country.iso3
        for key in KEY_COLUMNS:
            if key in values and key not in result.errors:
                try:
                    values[f"_{key}_objects"] = resolve_keys(key, values[key])
                except ValidationError as error:
                    result.errors[key] = " ".join(error.messages)
        _check_institutions(values, country, result)
        results.append(result)
        if result.errors:
            continue
        _compare_with_existing(result, values, country, mapping)
    for result in results:
        if result.errors:
            result.action = "error"
            result.record = None
    return Preview(rows=results, ignored_headers=ignored)


def _check_institutions(values, country, result):
    institutions = values.get("_institutions_objects")
    if not institutions or country is None:
        return
    foreign = [institution.key for institution in institutions
               if institution.country_id not in (None, country.pk)]
    if foreign:
        result.errors["institutions"] = _("Not institutions of %(country)s: %(keys)s.") % {
            "country": country, "keys": ", ".join(foreign)}


def _compare_with_existing(result, values, country, mapping):
    from programs.models import ProgramProfilePage

    present = set(mapping.values())
    existing = find_profile(values["external_id"])
    if existing is None:
        base = {column.key: ([] if column.kind == "keys" else "") for column in COLUMNS}
        base["area_of_influence"] = "national"
        old = None
        result.action = "new"
    else:
        if existing.country_id != country.pk:
            result.errors["country"] = _(
                "%(id)s is a profile of %(country)s; it cannot move to another country.") % {
                "id": values["external_id"], "country": existing.country}
            return
        versions = {}
        for page in ProgramProfilePage.objects.filter(translation_key=existing.translation_key
                                                      ).select_related("locale"):
            versions[page.locale.language_code] = page.get_latest_revision_as_object()
        old = record_from_pages(versions)
        base = dict(old)
        result.action = "update"
    record = dict(base)
    for key in present:
        record[key] = values.get(key) if values.get(key) is not None else ""
        if f"_{key}_objects" in values:
            record[f"_{key}_objects"] = values[f"_{key}_objects"]
            record[key] = [str(getattr(obj, KEY_COLUMNS[key][2]))
                           for obj in values[f"_{key}_objects"]]
    if record.get("area_of_influence") == "subnational" and not (record.get("regions_en") or ""
                                                                  ).strip():
        result.errors["regions_en"] = _("Name the regions or departments of a subnational "
                                        "program.")
        return
    start, end = record.get("start_date") or "", record.get("end_date") or ""
    if start and end and end[: len(start)] < start[: len(end)]:
        result.errors["end_date"] = _("The end date is before the start date.")
        return
    if record.get("funding_amount") not in (None, "") and not record.get("funding_currency"):
        result.errors["funding_currency"] = _("Give the currency of the budget amount.")
        return
    result.record = record
    for column in COLUMNS:
        if column.key not in present:
            continue
        before = _comparable(old.get(column.key) if old else None, column)
        after = _comparable(record.get(column.key), column)
        if before != after:
            result.changes.append((column.header, _shown(before), _shown(after)))
    if result.action == "update" and not result.changes:
        result.action = "unchanged"
    changed_columns = {COLUMNS_BY_KEY[key] for key in present
                       if _comparable(old.get(key) if old else None, COLUMNS_BY_KEY[key])
                       != _comparable(record.get(key), COLUMNS_BY_KEY[key])}
    if any(not column.language for column in changed_columns):
        record["_languages"] = {code for code, _name in settings.LANGUAGES}
    else:
        record["_languages"] = {column.language for column in changed_columns}


def _comparable(value, column):
    if column.kind == "keys":
        return tuple(str(item) for item in (value or []))
    if column.kind == "decimal":
        return None if value in (None, "") else Decimal(str(value)).normalize()
    if column.kind == "integer":
        return None if value in (None, "") else int(value)
    if column.kind in {"richtext", "lines"}:
        return "\n".join(line.strip() for line in str(value or "").splitlines() if line.strip())
    return "" if value is None else str(value)


def _shown(value):
    if isinstance(value, tuple):
        return "; ".join(value)
    text = "" if value is None else str(value)
    return text if len(text) <= 160 else text[:157] + "…"


# -- batches ---------------------------------------------------------------------------------

def create_batch(user, upload):
    """Keep an uploaded file for its dry run. Raises ImportFileError for a file to refuse."""
    from programs.models import ImportBatch

    if not user_may_import(user):
        raise ImportFileError(_("You may not import profiles."))
    if upload is None:
        raise ImportFileError(_("Choose a CSV or XLSX file to upload."))
    limit = settings.PORTAL_MAX_IMPORT_SIZE
    if upload.size > limit:
        raise ImportFileError(size_message(upload.name, upload.size, limit))
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ImportFileError(size_message(upload.name, len(content), limit))
    if not content:
        raise ImportFileError(_("The file is empty."))
    file_format = detect_format(upload.name, content)
    header, _rows = read_table(content, file_format)
    map_headers(header)
    with transaction.atomic():
        ImportBatch.objects.filter(created_at__lt=timezone.now() - BATCH_LIFETIME).delete()
        return ImportBatch.objects.create(
            uploaded_by=user, filename=upload.name[:255], file_format=file_format,
            content=content)


def preview_batch(batch, user):
    header, rows = read_table(bytes(batch.content), batch.file_format)
    return check_rows(header, rows, user)


class ImportRefused(Exception):
    """The confirmed import cannot go ahead; nothing was written."""


def apply_batch(batch, user):
    """Write every valid row of the batch in one transaction. Returns the preview it acted on.

    Delegates' rows go to the moderation workflow; moderators' rows are published.
    """
    from programs.models import ImportBatch

    if batch.uploaded_by_id != user.pk:
        raise ImportRefused(_("Only the person who uploaded this file may import it."))
    publish = user_may_publish_directly(user)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.applied_at is not None:
            raise ImportRefused(_("This file has already been imported."))
        try:
            preview = preview_batch(locked, user)
        except ImportFileError as error:
            raise ImportRefused(str(error)) from error
        for row in preview.writable:
            try:
                write_profile(row.record, user=user, publish=publish, submit=not publish)
            except (ProfileError, ValidationError) as error:
                message = " ".join(error.messages) if isinstance(error, ValidationError) else (
                    str(error))
                raise ImportRefused(
                    _("Row %(row)s could not be written (%(problem)s); nothing was imported.")
                    % {"row": row.number, "problem": message}) from error
        locked.applied_at = timezone.now()
        locked.save(update_fields=["applied_at"])
    return preview
