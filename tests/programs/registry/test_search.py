"""Approved entries reach the discovery search, with the registry's facets; nothing else of
the registry does, and no contact email."""

import pytest

from search.backends import get_backend
from tests.programs.registry.factories import committed, make_entry

pytestmark = pytest.mark.django_db


def hits(text, **filters):
    return get_backend().query(text, filters=filters, per_page=100).hits


def test_only_approved_entries_are_found(client):
    approved = make_entry("approved", name="Fundación Lucérnaga Austral",
                          description="Incubadora de emprendimientos sociales.",
                          contact_email="privado.lucernaga@ejemplo.example")
    make_entry("pending", name="Fundación Lucérnaga Pendiente")
    make_entry("rejected", name="Fundación Lucérnaga Rechazada")
    found = hits("lucérnaga")
    assert [hit.title for hit in found] == ["Fundación Lucérnaga Austral"]
    hit = found[0]
    assert hit.content_type == "articulator"
    assert hit.url == f"/en/programs/articulators/{approved.pk}/"
    assert hit.facets["sector"] == ["private_non_profit"]
    assert hits("privado.lucernaga") == []
    assert [h.title for h in hits("", content_type="articulator", sector="private_non_profit")
            ] == ["Fundación Lucérnaga Austral"]


def test_approved_changes_replace_the_indexed_version(client, moderator):
    entry = make_entry("approved", name="Colectivo Antiguo Nombre")
    entry.name = "Colectivo Nombre Nuevo"
    with committed():
        entry.save_revision().publish()
    assert [hit.title for hit in hits("colectivo")] == ["Colectivo Nombre Nuevo"]
    with committed():
        entry.unpublish()
    assert hits("colectivo") == []


def test_the_search_page_labels_the_registry_facets(client):
    entry = make_entry("approved", name="Fundación Faceta")
    html = client.get("/en/search/", {"q": "faceta"}).content.decode()
    assert "Ecosystem organisation" in html
    assert "Private non-profit sector / foundations" in html
    entry_link = html.split(f'href="/en/programs/articulators/{entry.pk}/"', 1)[1]
    assert "Faceta" in entry_link.split("</a>", 1)[0]
