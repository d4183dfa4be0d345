"""Bulk import: template, dry run with per-row per-column errors, one-transaction confirm,
matching by external id, formula injection, file limits, and export that imports back."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook
from wagtail.models import WorkflowState

from programs.models import ImportBatch, ProgramProfilePage
from programs.services import exports, imports
from programs.services.profiles import COLUMNS, COLUMNS_BY_KEY
from tests.programs.conftest import profile_record

pytestmark = pytest.mark.django_db

HEADERS = ["external_id", "country", "title_en", "title_es", "topics", "start_date",
           "end_date", "objectives_en", "achievements_en"]


def csv_bytes(rows, headers=HEADERS, delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def upload(name, content):
    return SimpleUploadedFile(name, content)


def preview_of(user, content, name="profiles.csv"):
    batch = imports.create_batch(user, upload(name, content))
    return batch, imports.preview_batch(batch, user)


def by_row(preview):
    return {row.number: row for row in preview.rows}


GOOD_ROW = ["COL-nuevo", "COL", "New program", "Programa nuevo", "food_security; nutrition",
            "2012-08", "2014", "Feed children.", "- First\n- Second"]


def test_template_has_both_languages_headers_and_a_values_sheet(client):
    response = client.get("/en/programs/import/template.csv")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert "Title (English) / Título (inglés)" in header
    assert "External id / Identificador externo" in header
    workbook = load_workbook(io.BytesIO(client.get("/es/programs/import/template.xlsx").content))
    assert [cell.value for cell in workbook.worksheets[0][1]] == [c.header for c in COLUMNS]
    values = [row for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert any(row[1] == "food_security" and row[3] == "Seguridad alimentaria" for row in values)
    assert any(row[1] == "16.a" for row in values)


def test_dry_run_reports_errors_per_row_and_column_and_writes_nothing(moderator, make_profile):
    make_profile(external_id="PER-existing", country="PER")
    rows = [
        GOOD_ROW,
        ["COL-bad-country", "XXX", "Bad country", "", "", "", "", "", ""],
        ["COL-bad-date", "COL", "Bad date", "", "", "2012-13", "", "", ""],
        ["COL-nuevo", "COL", "Duplicate id", "", "", "", "", "", ""],
        ["COL-formula", "COL", "=HYPERLINK(\"http://evil\")", "", "", "", "", "", ""],
        ["COL-dde", "COL", "Payload", "", "", "", "", "-2+3+cmd|' /C calc'!A0", ""],
        ["PER-existing", "COL", "Moved", "", "", "", "", "", ""],
        ["COL-topic", "COL", "Unknown topic", "", "astrology", "", "", "", ""],
        ["", "COL", "", "", "", "", "", "", ""],
        ["COL-dates", "COL", "Backwards", "", "", "2015", "2012-06", "", ""],
    ]
    pages_before = ProgramProfilePage.objects.count()
    _batch, preview = preview_of(moderator, csv_bytes(rows))
    rows_by_number = by_row(preview)
    # Both rows with the same external id are left out: neither can be trusted.
    assert rows_by_number[2].errors == {"external_id": "COL-nuevo appears again in row 5."}
    assert "Unknown country" in rows_by_number[3].errors["country"]
    assert "no month 13" in rows_by_number[4].errors["start_date"]
    assert "also in row 2" in rows_by_number[5].errors["external_id"]
    assert "formula" in rows_by_number[6].errors["title_en"]
    assert "formula" in rows_by_number[7].errors["objectives_en"]
    assert "cannot move to another country" in rows_by_number[8].errors["country"]
    assert "astrology" in rows_by_number[9].errors["topics"]
    assert set(rows_by_number[10].errors) == {"external_id", "title_en"}
    assert "before the start date" in rows_by_number[11].errors["end_date"]
    assert preview.counts["error"] == 10
    assert ProgramProfilePage.objects.count() == pages_before


def test_missing_required_column_is_a_file_error(moderator):
    content = csv_bytes([["X", "Title"]], headers=["external_id", "title_en"])
    with pytest.raises(imports.ImportFileError, match="Country"):
        imports.create_batch(moderator, upload("profiles.csv", content))


@pytest.mark.parametrize(("name", "content", "message"), [
    ("profiles.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx file"),
    ("profiles.xlsx", b"external_id,country\n", "not an Excel workbook"),
    ("profiles.xlsx", b"PK\x03\x04broken zip", "could not be opened"),
    ("profiles.csv", b"PK\x03\x04\x00\x00", "is a workbook"),
    ("profiles.csv", b"a,b\x00,c", "not a text file"),
    ("profiles.csv", b'external_id,country,title_en\n"COL-1,COL,unclosed', "malformed"),
    ("profiles.csv", b"", "empty"),
])
def test_wrong_and_malformed_files_get_a_clear_message(moderator, name, content, message):
    with pytest.raises(imports.ImportFileError, match=message):
        imports.create_batch(moderator, upload(name, content))


def test_files_over_ten_megabytes_are_refused(client, moderator):
    client.force_login(moderator)
    big = b"external_id,country,title_en\n" + b"x" * (10 * 1024 * 1024)
    response = client.post("/en/programs/import/", {"file": upload("big.csv", big)})
    assert response.status_code == 200
    assert "files may be at most 10.0\xa0MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_confirm_writes_valid_rows_in_one_go_and_reimport_updates(client, moderator):
    client.force_login(moderator)
    rows = [GOOD_ROW, ["COL-otro", "COL", "Another program", "", "education", "", "", "", ""],
            ["COL-roto", "XXX", "Broken", "", "", "", "", "", ""]]
    response = client.post("/en/programs/import/",
                           {"file": upload("profiles.csv", csv_bytes(rows, delimiter=";"))})
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/en/programs/import/{batch.pk}/"
    review = client.get(response["Location"]).content.decode()
    assert "Unknown country" in review and "New profile" in review
    assert not ProgramProfilePage.objects.filter(external_id__startswith="COL-n").exists()

    client.post(f"/en/programs/import/{batch.pk}/")
    created = ProgramProfilePage.objects.get(external_id="COL-nuevo", locale__language_code="en")
    assert created.live and created.title == "New program"
    assert created.achievements == "<ul><li>First</li><li>Second</li></ul>"
    assert {topic.key for topic in created.topics.all()} == {"food_security", "nutrition"}
    spanish = ProgramProfilePage.objects.get(external_id="COL-nuevo", locale__language_code="es")
    assert spanish.live and spanish.title == "Programa nuevo"
    assert ProgramProfilePage.objects.get(external_id="COL-otro").live
    assert not ProgramProfilePage.objects.filter(external_id="COL-roto").exists()

    # Confirming the same batch twice writes nothing more.
    client.post(f"/en/programs/import/{batch.pk}/")
    assert ProgramProfilePage.objects.filter(external_id="COL-nuevo").count() == 2

    changed = [[*GOOD_ROW[:2], "New program, renamed", *GOOD_ROW[3:]]]
    _batch, preview = preview_of(moderator, csv_bytes(changed))
    [row] = preview.rows
    assert row.action == "update"
    assert row.changes == [("Title (English) / Título (inglés)", "New program",
                            "New program, renamed")]
    imports.apply_batch(_batch, moderator)
    assert ProgramProfilePage.objects.filter(external_id="COL-nuevo").count() == 2
    created.refresh_from_db()
    assert created.title == "New program, renamed"
    _batch, preview = preview_of(moderator, csv_bytes(changed))
    assert preview.rows[0].action == "unchanged"


def test_a_row_that_fails_while_writing_leaves_nothing_written(moderator, monkeypatch):
    rows = [GOOD_ROW, ["COL-otro", "COL", "Another program", "", "", "", "", "", ""]]
    batch, _preview = preview_of(moderator, csv_bytes(rows))
    from programs.models import CountryIndexPage

    # The second row's country page disappears between the dry run and the confirmation.
    original_write = imports.write_profile
    calls = []

    def write_then_break(record, **kwargs):
        calls.append(record["external_id"])
        if len(calls) == 2:
            CountryIndexPage.objects.filter(country__iso3="COL").update(title="changed")
            raise imports.ProfileError("Colombia has no programs page yet.")
        return original_write(record, **kwargs)

    monkeypatch.setattr(imports, "write_profile", write_then_break)
    with pytest.raises(imports.ImportRefused, match="Row 3 could not be written"):
        imports.apply_batch(batch, moderator)
    assert not ProgramProfilePage.objects.filter(external_id="COL-nuevo").exists()
    batch.refresh_from_db()
    assert batch.applied_at is None


def test_delegate_imports_only_their_country_and_rows_go_to_moderation(delegate):
    rows = [GOOD_ROW, ["PER-ajeno", "PER", "Foreign", "", "", "", "", "", ""]]
    batch, preview = preview_of(delegate, csv_bytes(rows))
    assert "your own country" in by_row(preview)[3].errors["country"]
    imports.apply_batch(batch, delegate)
    page = ProgramProfilePage.objects.get(external_id="COL-nuevo", locale__language_code="en")
    assert not page.live
    state = WorkflowState.objects.for_instance(page).get(status="in_progress")
    assert state.requested_by == delegate


def test_someone_else_cannot_apply_or_see_my_batch(client, moderator, user_factory):
    batch, _preview = preview_of(moderator, csv_bytes([GOOD_ROW]))
    from portal.accounts.roles import Role

    other = user_factory(Role.MODERATOR)
    client.force_login(other)
    assert client.get(f"/en/programs/import/{batch.pk}/").status_code == 404
    assert client.post(f"/en/programs/import/{batch.pk}/").status_code == 404
    with pytest.raises(imports.ImportRefused):
        imports.apply_batch(batch, other)


def test_xlsx_import_reads_dates_numbers_and_rejects_formula_cells(moderator):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([COLUMNS_BY_KEY[key].header for key in
                  ["external_id", "country", "title_en", "start_date", "funding_amount",
                   "funding_currency", "beneficiaries", "summary_en"]])
    import datetime

    sheet.append(["COL-xlsx", "Colombia", "Workbook program", datetime.datetime(2012, 7, 1),
                  1500000.5, "cop", 2500, "Plain summary"])
    sheet.append(["COL-xlsx-2", "COL", "Formula program", 2013, None, None, None,
                  "=1+1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _batch, preview = preview_of(moderator, buffer.getvalue(), name="profiles.xlsx")
    first, second = preview.rows
    assert first.errors == {}
    assert first.record["start_date"] == "2012-07-01"
    assert str(first.record["funding_amount"]) == "1500000.5"
    assert first.record["funding_currency"] == "COP"
    assert first.record["beneficiaries"] == 2500
    assert "formula" in second.errors["summary_en"]


def test_export_neutralises_formulas_and_reimports_to_the_same_data(client, moderator,
                                                                    make_profile):
    make_profile(
        external_id="COL-roundtrip", title_en="=Formula-looking title",
        title_es="Programa ida y vuelta", acronym="RT", institutions=["col-icbf"],
        topics=["food_security", "education"], statuses=["design", "monitoring"],
        start_date="2012-08", end_date="2015", sdg_targets=["1.3", "2.1"],
        funding_amount="1250000.50", funding_currency="COP", funding_year=2013,
        beneficiaries=12000, area_of_influence="subnational",
        regions_en="Cauca\nNariño", regions_es="Cauca\nNariño",
        achievements_en="- First result\n- Second result",
        summary_en="Para one.\n\nPara two,\nline two.",
        other_organisations_en="UNICEF\nWFP", website="https://example.org/program")
    page = ProgramProfilePage.objects.get(external_id="COL-roundtrip", locale__language_code="en")
    records_before = exports.profile_records([page])
    assert records_before[0]["sdg_goals"] == ["1", "2"]

    content = client.get("/en/programs/export/?format=csv&country=COL").content
    text = content.decode("utf-8-sig")
    assert "'=Formula-looking title" in text
    assert "'- First result" in text

    xlsx = client.get("/en/programs/export/?format=xlsx&country=COL").content
    first_data_row = [cell.value for cell in load_workbook(io.BytesIO(xlsx)).active[2]]
    assert all(not (isinstance(value, str) and value.startswith("=")) for value in first_data_row)

    data = json.loads(client.get("/en/programs/export/?format=json&country=COL").content)
    assert {"COL-roundtrip"} <= {item["external_id"] for item in data["profiles"]}

    for name, payload in [("export.csv", content), ("export.xlsx", xlsx)]:
        _batch, preview = preview_of(moderator, payload, name=name)
        row = next(row for row in preview.rows if row.external_id == "COL-roundtrip")
        assert row.errors == {} and row.action == "unchanged", (name, row.changes)
    imports.apply_batch(_batch, moderator)
    page.refresh_from_db()
    assert exports.profile_records([page]) == records_before


def test_import_rejects_anonymous_and_members(client, ecosystem_member):
    assert client.get("/en/programs/import/").status_code == 302
    client.force_login(ecosystem_member)
    assert client.get("/en/programs/import/").status_code == 403


def test_record_for_json_export_matches_columns(make_profile):
    make_profile(external_id="COL-json")
    page = ProgramProfilePage.objects.get(external_id="COL-json", locale__language_code="en")
    [record] = exports.profile_records([page])
    assert list(record) == [column.key for column in COLUMNS]
    assert profile_record().keys() == record.keys()
