"""The demo registry reproduces seed 002's published figures on the live dashboard."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from programs.models import Articulator, ArticulatorRegistrationPage, RegistrationStatus
from programs.services.registry import duplicates_of

# Every test here reads the demo data, loaded once for the module (tests/conftest.py).
pytestmark = pytest.mark.django_db

SEED_FIGURES = {
    figure["key"]: figure["value"] for figure in json.loads(
        (Path(__file__).resolve().parents[3] / "programs/data/registry_vocabularies.json")
        .read_text())["seed_figures"]
}


def figure(html, key):
    return html.split(f'id="figure-{key}"', 1)[1].split(
        '<span class="registry-figure__value">', 1)[1].split("</span>", 1)[0]


def share(html, key):
    return html.split(f'<tr data-key="{key}">', 1)[1].split("</tr>", 1)[0]


def test_the_dashboard_shows_the_seeds_figures_for_the_demo(client, demo):
    html = client.get("/en/programs/articulators/dashboard/").content.decode()
    assert figure(html, "total") == str(SEED_FIGURES["registered_organisations"]) == "72"
    assert figure(html, "private_sector") == f"{SEED_FIGURES['private_sector_share']}%"
    assert figure(html, "linkage_activities") == f"{SEED_FIGURES['linkage_activities_share']}%"
    assert figure(html, "alliances") == f"{SEED_FIGURES['alliances_share']}%"
    assert share(html, "centro_sur_y_metropolitana").endswith(
        f"<td>{SEED_FIGURES['centro_sur_share']}%</td>")
    assert share(html, "regional").endswith(f"<td>{SEED_FIGURES['regional_scope_share']}%</td>")
    # What the shares are computed over, as the page says it.
    assert "63 of 72" in html and "56 of 70" in html and "69 of 72" in html
    assert "registered between Sept. 1, 2021 and Sept. 22, 2021" in html

    # The seed's registration period gives the same figures.
    period = client.get("/en/programs/articulators/dashboard/", {
        "registered_from": "2021-09-01", "registered_to": "2021-09-22"}).content.decode()
    assert figure(period, "total") == "72"


def test_the_demo_has_entries_in_every_state(demo):
    statuses = [entry.registration_status for entry in Articulator.objects.all()]
    assert statuses.count(RegistrationStatus.APPROVED) + statuses.count(
        RegistrationStatus.APPROVED_CHANGES_PENDING) == 72
    assert statuses.count(RegistrationStatus.APPROVED_CHANGES_PENDING) == 1
    assert statuses.count(RegistrationStatus.PENDING) == 4
    assert statuses.count(RegistrationStatus.REJECTED) == 2
    assert statuses.count(RegistrationStatus.UNCONFIRMED) == 1
    same_website = Articulator.objects.get(name="Fundación Arrayán Sur")
    assert [hint.entry.name for hint in duplicates_of(same_website)] == ["Fundación Arrayán"]
    similar_name = Articulator.objects.get(name="Fundación Quillai")
    assert [hint.entry.name for hint in duplicates_of(similar_name)] == ["Fundación Quillay"]
    approved_with_duplicates = [entry.name for entry in Articulator.objects.approved()
                                if duplicates_of(entry)]
    assert sorted(approved_with_duplicates) == ["Fundación Arrayán", "Fundación Quillay"]
    assert Articulator.objects.stale().count() == 5


def test_the_demo_registry_is_in_the_discovery_search(demo):
    from search.backends import get_backend

    found = get_backend().query("", filters={"content_type": ["articulator"]})
    assert found.total == 72


def test_the_demo_is_deterministic_and_loads_once(demo):
    first = sorted(Articulator.objects.values_list(
        "name", "sector__key", "scope__key", "head_office_region__code",
        "runs_linkage_activities", "has_alliances"))
    call_command("load_demo_data", stdout=StringIO())
    assert sorted(Articulator.objects.values_list(
        "name", "sector__key", "scope__key", "head_office_region__code",
        "runs_linkage_activities", "has_alliances")) == first


def test_the_registration_page_exists_in_both_languages_and_the_home_card_leads_to_the_directory(
        client, demo):
    pages = ArticulatorRegistrationPage.objects.live()
    assert sorted(page.locale.language_code for page in pages) == ["en", "es"]
    home = client.get("/en/").content.decode()
    assert '<a href="/en/programs/articulators/">Ecosystem registry</a>' in home
    spanish_home = client.get("/es/").content.decode()
    assert '<a href="/es/programs/articulators/">Registro del ecosistema</a>' in spanish_home
    directory = client.get("/es/programs/articulators/").content.decode()
    assert 'href="/es/inscriba-a-su-organizacion/"' in directory
