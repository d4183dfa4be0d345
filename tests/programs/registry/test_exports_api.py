"""The registry as open data (CSV, XLSX, JSON) and through /api/v1/articulators/: approved
entries only, and never a contact email."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from programs.models import ArticulatorSector
from tests.programs.registry.factories import make_entry, term

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(db):
    return {
        "public": make_entry("approved", name="Servicio Público Abierto",
                             sector=term(ArticulatorSector, "public"),
                             contact_email="secret.public@ejemplo.example"),
        "formula": make_entry("approved", name="=HYPERLINK(\"http://evil.example\")",
                              contact_email="secret.formula@ejemplo.example"),
        "pending": make_entry("pending", name="Fundación En Espera",
                              contact_email="secret.pending@ejemplo.example"),
        "rejected": make_entry("rejected", name="Fundación Rechazada"),
        "unconfirmed": make_entry("unconfirmed", name="Fundación Fantasma"),
    }


def assert_nothing_private(text, registry):
    for entry in registry.values():
        assert entry.contact_email not in text
    for state in ("pending", "rejected", "unconfirmed"):
        assert registry[state].name not in text


def test_csv_export(client, registry):
    response = client.get("/en/programs/articulators/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert_nothing_private(text, registry)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["name"] for row in rows} == {"Servicio Público Abierto",
                                             "'=HYPERLINK(\"http://evil.example\")"}
    public = next(row for row in rows if row["sector"] == "public")
    assert public["country"] == "CHL" and public["runs_linkage_activities"] == "yes"
    assert public["profile_url"].endswith(f"/programs/articulators/{registry['public'].pk}/")
    assert "contact_email" not in rows[0]


def test_exports_follow_the_directory_filters(client, registry):
    rows = list(csv.DictReader(io.StringIO(client.get(
        "/en/programs/articulators/export.csv", {"sector": "public"}).content.decode(
            "utf-8-sig"))))
    assert [row["name"] for row in rows] == ["Servicio Público Abierto"]


def test_xlsx_export(client, registry):
    response = client.get("/en/programs/articulators/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:2] == ("id", "name")
    names = {row[1] for row in rows[2:]}
    assert names == {"Servicio Público Abierto", "'=HYPERLINK(\"http://evil.example\")"}
    assert_nothing_private(json.dumps(rows, default=str), registry)


def test_json_export(client, registry):
    data = json.loads(client.get("/en/programs/articulators/export.json").content)
    assert data["count"] == 2
    assert {entry["name"] for entry in data["entries"]} == {
        "Servicio Público Abierto", "=HYPERLINK(\"http://evil.example\")"}
    assert_nothing_private(json.dumps(data, ensure_ascii=False).replace(
        "=HYPERLINK", "HYPERLINK"), {k: v for k, v in registry.items() if k != "formula"})
    assert all("contact_email" not in entry for entry in data["entries"])


def test_an_unknown_export_format_is_not_found(client, registry):
    assert client.get("/en/programs/articulators/export.pdf").status_code == 404


def test_the_api_lists_approved_entries_with_filters(client, registry):
    response = client.get("/api/v1/articulators/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert_nothing_private(response.content.decode(), registry)
    assert "contact_email" not in response.content.decode()
    public = client.get("/api/v1/articulators/", {"sector": "public", "country": "chl"}).json()
    assert [item["name"] for item in public["items"]] == ["Servicio Público Abierto"]
    item = public["items"][0]
    assert item["sector"] == {"key": "public",
                              "name": {"en": "Public sector", "es": "Sector público"}}
    assert item["head_office_region"]["macrozone"]["key"]
    assert client.get("/api/v1/articulators/", {"region": "CL-XX"}).json()["count"] == 0


@pytest.mark.parametrize(("params", "field"), [
    ({"page": "21056798072616047869952"}, "page"),
    ({"page": "0"}, "page"),
    ({"page_size": "100000"}, "page_size"),
])
def test_the_api_refuses_pages_out_of_bounds_by_name(client, registry, params, field):
    response = client.get("/api/v1/articulators/", params)
    assert response.status_code == 422
    assert field in response.content.decode()


def test_the_api_pages_within_bounds(client, registry):
    data = client.get("/api/v1/articulators/", {"page": "1", "page_size": "1"}).json()
    assert data["count"] == 2 and len(data["items"]) == 1
    assert client.get("/api/v1/articulators/", {"page": "100000"}).json()["items"] == []


def test_the_api_serves_one_approved_entry_and_nothing_else(client, registry):
    entry = registry["public"]
    response = client.get(f"/api/v1/articulators/{entry.pk}/")
    assert response.status_code == 200 and response.json()["name"] == entry.name
    for state in ("pending", "rejected", "unconfirmed"):
        hidden = client.get(f"/api/v1/articulators/{registry[state].pk}/", follow=True)
        assert hidden.status_code == 404
        assert registry[state].name not in hidden.content.decode()


def test_the_openapi_schema_documents_the_registry_without_contact_emails(client):
    schema = client.get("/api/v1/schema/").json()
    assert {"/api/v1/articulators/", "/api/v1/articulators/{articulator_id}/",
            "/api/v1/articulators/statistics/"} <= set(schema["paths"])
    properties = schema["components"]["schemas"]["ArticulatorOut"]["properties"]
    assert "contact_email" not in properties and "name" in properties
