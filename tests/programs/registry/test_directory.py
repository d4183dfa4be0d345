"""The public directory, its profile pages, its filters and the yearly confirmation."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from portal.models import Country
from programs.models import (
    Articulator,
    ArticulatorScope,
    ArticulatorSector,
    Macrozone,
    PovertyTopic,
    Region,
    SupportType,
)
from tests.programs.registry.factories import committed, link_token, make_entry, term

pytestmark = pytest.mark.django_db


def names(response):
    html = response.content.decode()
    return {entry.name for entry in Articulator.objects.all() if f">{entry.name}</a>" in html}


@pytest.fixture
def directory(chile):
    arica = Region.objects.get(country=chile, code="CL-AP")
    maule = Region.objects.get(country=chile, code="CL-ML")
    entries = {
        "north": make_entry("approved", name="Fundación Norte", head_office_region=arica,
                            regions=[arica], sector=term(ArticulatorSector, "public"),
                            support_types=[term(SupportType, "financing")]),
        "centre": make_entry("approved", name="Corporación Centro", head_office_region=maule,
                             regions=[maule], scope=term(ArticulatorScope, "local"),
                             poverty_topics=[term(PovertyTopic, "health")]),
        "works_north": make_entry("approved", name="Red Viajera", head_office_region=maule,
                                  regions=[maule, arica]),
        "pending": make_entry("pending", name="Fundación Pendiente", head_office_region=arica,
                              regions=[arica]),
        "unconfirmed": make_entry("unconfirmed", name="Fundación Sin Confirmar"),
    }
    return entries


def test_the_directory_lists_approved_entries_only(client, directory):
    response = client.get("/en/programs/articulators/")
    assert response.status_code == 200
    assert names(response) == {"Fundación Norte", "Corporación Centro", "Red Viajera"}
    assert "3 organisations" in response.content.decode()
    for state in ("pending", "unconfirmed"):
        assert client.get(f"/en/programs/articulators/{directory[state].pk}/").status_code == 404


@pytest.mark.parametrize(("query", "expected"), [
    ({"sector": "public"}, {"Fundación Norte"}),
    ({"scope": "local"}, {"Corporación Centro"}),
    ({"support_type": "financing"}, {"Fundación Norte"}),
    ({"topic": "health"}, {"Corporación Centro"}),
    ({"region": "CL-AP"}, {"Fundación Norte", "Red Viajera"}),
    ({"macrozone": "norte_y_centro"}, {"Fundación Norte", "Red Viajera"}),
    ({"macrozone": "centro_sur_y_metropolitana"}, {"Corporación Centro", "Red Viajera"}),
    ({"country": "PER"}, set()),
    ({"q": "viajera"}, {"Red Viajera"}),
    ({"sector": "public", "scope": "local"}, set()),
])
def test_the_directory_filters(client, directory, chile, query, expected):
    if "region" in query:
        query = {"region": Region.objects.get(country=chile, code=query["region"]).pk}
    if "macrozone" in query:
        query = {"macrozone": Macrozone.objects.get(country=chile, key=query["macrozone"]).pk}
    response = client.get("/en/programs/articulators/", query)
    assert names(response) == expected


def test_an_unknown_filter_value_is_shown_as_an_error_not_a_crash(client, directory):
    response = client.get("/en/programs/articulators/", {"sector": "nonsense", "region": "x"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_profile_page_shows_the_entry_but_never_its_contact_email(client, directory):
    entry = directory["north"]
    html = client.get(f"/en/programs/articulators/{entry.pk}/").content.decode()
    assert entry.name in html and "Arica and Parinacota" in html
    assert "North and centre zone" in html
    assert entry.contact_name in html
    assert entry.contact_email not in html
    assert "Last confirmed on" in html


def test_the_directory_speaks_spanish(client, directory):
    html = client.get("/es/programs/articulators/").content.decode()
    assert "Registro del ecosistema" in html and "3 organizaciones" in html
    assert "Sector público" in html


def test_entries_unconfirmed_for_a_year_are_flagged_and_their_contacts_asked(client, chile):
    fresh = make_entry("approved", name="Fundación Al Día")
    stale = make_entry("approved", name="Fundación Olvidada")
    Articulator.objects.filter(pk=stale.pk).update(
        last_confirmed_at=timezone.now() - timedelta(days=370))

    listing = client.get("/en/programs/articulators/").content.decode()
    card = listing.split("Fundación Olvidada", 1)[1].split("</li>", 1)[0]
    assert "Not confirmed for more than 12 months" in card
    assert "Not confirmed" not in listing.split("Fundación Al Día", 1)[1].split("</li>", 1)[0]
    assert "some details may be out of date" in client.get(
        f"/en/programs/articulators/{stale.pk}/").content.decode()

    sent_before = len(mail.outbox)
    with committed():
        call_command("registry_housekeeping", stdout=StringIO())
    reminders = mail.outbox[sent_before:]
    assert [message.to for message in reminders] == [[stale.contact_email]]
    assert fresh.contact_email not in {address for m in reminders for address in m.to}

    # Asked once: running again the next day sends nothing more.
    with committed():
        call_command("registry_housekeeping", stdout=StringIO())
    assert len(mail.outbox) == sent_before + 1

    token = link_token(reminders[0], "still-current")
    assert "Yes, it is still correct" in client.get(
        f"/en/programs/articulators/still-current/{token}/").content.decode()
    client.post(f"/en/programs/articulators/still-current/{token}/")
    stale.refresh_from_db()
    assert not stale.is_stale()
    assert "Not confirmed for more than 12 months" not in client.get(
        "/en/programs/articulators/").content.decode()
    assert link_token(reminders[0], "edit")


def test_never_confirmed_registrations_are_deleted_after_the_link_expires(chile):
    old = make_entry("unconfirmed", name="Fundación Abandonada")
    recent = make_entry("unconfirmed", name="Fundación Reciente")
    kept = make_entry("pending", name="Fundación Confirmada")
    Articulator.objects.filter(pk__in=[old.pk, kept.pk]).update(
        registered_at=timezone.now() - timedelta(days=8))
    call_command("registry_housekeeping", stdout=StringIO())
    assert set(Articulator.objects.values_list("name", flat=True)) == {
        "Fundación Reciente", "Fundación Confirmada"}
    assert recent.pk and Country.objects.filter(iso3="CHL").exists()
