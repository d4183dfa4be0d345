"""The open read API: filters, pagination, both languages, stable ids, no drafts, no contacts."""

import pytest

from programs.models import ProfileContact, ProgramProfilePage

pytestmark = pytest.mark.django_db


def english(external_id):
    return ProgramProfilePage.objects.get(external_id=external_id, locale__language_code="en")


def test_list_gives_each_profile_once_in_both_languages(client, make_profile):
    make_profile(external_id="COL-a", title_en="Alpha", title_es="Alfa")
    make_profile(external_id="COL-b", title_en="Beta", title_es="", topics=["education"])
    response = client.get("/api/v1/programs/")
    assert response.status_code == 200
    data = response.json()
    items = {item["external_id"]: item for item in data["items"]}
    assert data["count"] == 2 and set(items) == {"COL-a", "COL-b"}
    alpha = items["COL-a"]
    assert alpha["title"] == {"en": "Alpha", "es": "Alfa"}
    assert alpha["languages"] == ["en", "es"] and alpha["original_language"] == "en"
    assert alpha["id"] == str(english("COL-a").translation_key)
    assert alpha["url"]["es"].endswith("/es/programas/colombia/alfa/")
    assert alpha["topics"] == [{"key": "food_security", "name": {
        "en": "Food security", "es": "Seguridad alimentaria"}}]
    assert alpha["objectives"] == {"en": "<p>Reduce hunger.</p>", "es": "<p>Reducir el hambre.</p>"}
    assert items["COL-b"]["title"] == {"en": "Beta", "es": None}
    assert items["COL-b"]["languages"] == ["en"]


def test_filters_and_pagination(client, make_profile):
    make_profile(external_id="COL-1", topics=["education"], sdg_targets=["4.1"])
    make_profile(external_id="COL-2", topics=["nutrition"], statuses=["closed"])
    make_profile(external_id="PER-1", country="PER", exchange_methods=["internships"],
                 target_populations=["elderly"])

    def ids(query):
        response = client.get(f"/api/v1/programs/?{query}")
        assert response.status_code == 200, response.content
        return [item["external_id"] for item in response.json()["items"]]

    assert ids("country=PER") == ["PER-1"]
    assert ids("country=col") == ["COL-1", "COL-2"]
    assert ids("topic=education") == ["COL-1"]
    assert ids("status=closed") == ["COL-2"]
    assert ids("exchange_method=internships") == ["PER-1"]
    assert ids("population=elderly") == ["PER-1"]
    assert ids("sdg=4") == ["COL-1"] and ids("sdg_target=4.1") == ["COL-1"]
    assert ids("topic=unknown") == []
    assert ids("limit=2") == ["COL-1", "COL-2"]
    assert ids("limit=2&offset=2") == ["PER-1"]
    assert client.get("/api/v1/programs/?limit=0").status_code == 422
    assert client.get("/api/v1/programs/?sdg=18").status_code == 422


def test_stable_id_is_shared_by_both_languages_and_survives_edits(client, make_profile):
    make_profile(external_id="COL-stable")
    page = english("COL-stable")
    key = str(page.translation_key)
    spanish = ProgramProfilePage.objects.get(external_id="COL-stable", locale__language_code="es")
    assert str(spanish.translation_key) == key
    page.title = "Renamed"
    page.save_revision().publish()
    response = client.get(f"/api/v1/programs/{key}/")
    assert response.status_code == 200
    assert response.json()["title"]["en"] == "Renamed"


def test_drafts_and_contacts_never_leak(client, make_profile):
    make_profile(external_id="COL-draft", publish=False, title_en="Secret draft")
    make_profile(external_id="COL-live", title_en="Published title")
    live = english("COL-live")
    draft_of_live = live.get_latest_revision_as_object()
    draft_of_live.title = "Unapproved new title"
    draft_of_live.contacts.add(ProfileContact(name="Ana Contact", email="ana@example.gov"))
    draft_of_live.save_revision()
    live.refresh_from_db()
    published = live.get_latest_revision_as_object()
    published.title = "Published title"
    published.contacts.add(ProfileContact(name="Luis Contact", email="luis@example.gov"))
    revision = published.save_revision()
    revision.publish()
    latest = english("COL-live").get_latest_revision_as_object()
    latest.title = "Unapproved new title"
    latest.save_revision()
    make_profile(external_id="COL-gone")
    english("COL-gone").unpublish()

    body = client.get("/api/v1/programs/?limit=100").content.decode()
    assert "Published title" in body
    for secret in ["Secret draft", "COL-draft", "Unapproved new title", "COL-gone",
                   "luis@example.gov", "Luis Contact", "ana@example.gov"]:
        assert secret not in body
    draft = english("COL-draft")
    assert client.get(f"/api/v1/programs/{draft.translation_key}/").status_code == 404
    detail = client.get(f"/api/v1/programs/{english('COL-live').translation_key}/").content
    assert b"luis@example.gov" not in detail and b"Unapproved" not in detail


def test_vocabularies_and_schema(client):
    vocabularies = client.get("/api/v1/programs/vocabularies/").json()
    assert len(vocabularies["topics"]) == 30 and len(vocabularies["sdg_goals"]) == 17
    schema = client.get("/api/v1/schema/").json()
    assert "/api/v1/programs/" in schema["paths"]
    assert "/api/v1/programs/{profile_id}/" in schema["paths"]
    assert "contacts" not in schema["components"]["schemas"]["ProfileOut"]["properties"]
