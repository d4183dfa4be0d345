"""Rich text and other user-provided text reach pages without scripts, javascript: URLs or
event-handler attributes, whichever way they come in: the Wagtail editor (Draftail's content
state is converted to an allow-listed HTML), CSV imports (plain text, escaped), registry
entries (plain text, auto-escaped) and search highlights (escaped before <mark> is added)."""

import json

import pytest

from programs.models import ProgramProfilePage
from programs.services.profiles import write_profile
from tests.programs.conftest import admin_form_data, country_page, profile_record
from tests.programs.registry.factories import make_entry
from tests.security.test_headers import inline_code

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('xss')</script>"
HANDLER = '<img src=x onerror="alert(1)">'
JAVASCRIPT_URL = "javascript:alert(document.cookie)"


def hostile_content_state():
    """What a crafted request (not the editor's own JavaScript) could post for a rich text
    field: markup in the text, a javascript: link, and extra attributes on the link."""
    text = f"{SCRIPT} {HANDLER} click here"
    return json.dumps({
        "blocks": [{
            "key": "a1b2c", "type": "unstyled", "text": text, "depth": 0,
            "inlineStyleRanges": [], "data": {"onclick": "alert(2)"},
            "entityRanges": [{"offset": len(text) - 10, "length": 10, "key": 0}],
        }],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {
            "url": JAVASCRIPT_URL, "onmouseover": "alert(3)", "style": "x"}}},
    })


def assert_harmless(html):
    """No script, handler attribute or javascript: URL as markup (as escaped text is fine)."""
    assert inline_code(html) == []
    assert "<script>alert" not in html
    assert "<img src=x" not in html


def test_rich_text_from_the_editor_is_cleaned(client, moderator):
    client.force_login(moderator)
    parent = country_page("COL")
    hostile = hostile_content_state()
    response = client.post(
        f"/admin/pages/add/programs/programprofilepage/{parent.pk}/",
        admin_form_data(action="action-publish", slug="hostil", summary=hostile,
                        objectives=hostile, achievements=hostile))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ProgramProfilePage.objects.get(slug="hostil")
    assert page.live
    assert "<script" not in page.summary and "javascript:" not in page.summary
    html = client.get(page.get_url()).content.decode()
    assert "click here" in html  # the text itself is kept, as text
    assert "&lt;script&gt;" in html
    assert_harmless(html)
    api = client.get(f"/api/v1/programs/{page.pk}/").content.decode()
    assert "<script" not in api and "javascript:" not in api


def test_imported_text_is_escaped(client):
    page = write_profile(profile_record(
        title_en=f"Programa {SCRIPT}", summary_en=f"{SCRIPT}\n\n{HANDLER}",
        objectives_en=f'<a href="{JAVASCRIPT_URL}" onclick="x()">link</a>'), publish=True)
    html = client.get(page.get_url()).content.decode()
    assert "&lt;script&gt;" in html
    assert_harmless(html)


def test_search_highlights_escape_the_text_around_the_marks(client, commit):
    commit(lambda: write_profile(profile_record(
        title_en=f"Subsidio {SCRIPT} {HANDLER}", summary_en=f"Subsidio {HANDLER}"),
        publish=True))
    html = client.get("/en/search/?q=subsidio").content.decode()
    assert "<mark>" in html.lower() or "<mark " in html.lower()
    assert_harmless(html)
    api = client.get("/api/v1/search/?q=subsidio").json()
    assert api["total"] >= 1
    for hit in api["hits"]:
        assert "<script" not in hit["title_html"] and "<img" not in hit["snippet_html"]


def test_registry_entries_show_their_text_as_text(client):
    entry = make_entry("approved", name=f"Red {SCRIPT}", description=f"{HANDLER} {SCRIPT}")
    html = client.get(f"/en/programs/articulators/{entry.pk}/").content.decode()
    assert "Red &lt;script&gt;" in html
    assert_harmless(html)
