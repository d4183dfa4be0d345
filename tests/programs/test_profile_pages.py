"""Reading profiles: both languages, fallback to the original, contacts for delegates only,
the out-of-date notice, the one-page PDF, the filtered index and the navigation."""

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from portal.accounts.roles import Role
from programs.demo_profiles import annex_record
from programs.models import ProfileContact, ProgramProfilePage
from programs.services.profiles import write_profile

pytestmark = pytest.mark.django_db


def english(external_id):
    return ProgramProfilePage.objects.get(external_id=external_id, locale__language_code="en")


def test_profile_renders_in_both_languages_with_its_language_status(client, make_profile):
    make_profile(external_id="COL-dual", title_en="Dual program", title_es="Programa dual",
                 acronym="DP", start_date="2012-08", end_date="2014")
    html = client.get("/en/programs/colombia/dual-program/").content.decode()
    assert ">Dual program</h1>" in html
    assert "Original language: English." in html
    assert "from August 2012" in html and "until 2014" in html
    html_es = client.get("/es/programas/colombia/programa-dual/").content.decode()
    assert ">Programa dual</h1>" in html_es
    assert 'href="/en/programs/colombia/dual-program/" hreflang="en"' in html_es


def test_untranslated_profile_falls_back_to_the_original(client, make_profile):
    make_profile(external_id="COL-only-en", title_en="Only English", title_es="")
    html = client.get("/en/programs/colombia/only-english/").content.decode()
    assert 'href="/es/programas/colombia/only-english/" hreflang="es"' in html
    response = client.get("/es/programas/colombia/only-english/")
    assert response.status_code == 200
    html_es = response.content.decode()
    assert ">Only English</h1>" in html_es
    assert '<html lang="es">' in html_es and '<article class="profile" lang="en">' in html_es
    assert "has not been translated yet" in html_es or "no ha sido traducida" in html_es
    country_es = client.get("/es/programas/colombia/").content.decode()
    assert 'href="/es/programas/colombia/only-english/" hreflang="en" lang="en"' in country_es
    index_es = client.get("/es/programas/").content.decode()
    assert "Only English" in index_es
    assert client.get("/es/programas/colombia/only-english/pdf/").status_code == 200
    assert client.get("/es/programas/colombia/no-such-profile/").status_code == 404


@pytest.mark.parametrize(("role", "sees"), [
    (None, False), (Role.ECOSYSTEM_MEMBER, False), (Role.ORGANISER, False),
    (Role.COUNTRY_DELEGATE, True), (Role.MODERATOR, True)])
def test_contacts_are_shown_only_to_delegates_and_moderators(client, make_profile,
                                                             user_factory, other_country,
                                                             role, sees):
    make_profile(external_id="COL-contacts", title_en="With contacts")
    page = english("COL-contacts")
    page.contacts.add(ProfileContact(name="Luz Contacto", email="luz@example.gov.co"))
    page.save_revision().publish()
    if role is not None:
        client.force_login(user_factory(role, country=other_country))
    html = client.get("/en/programs/colombia/with-contacts/").content.decode()
    assert ("luz@example.gov.co" in html) is sees


def test_a_profile_not_updated_for_a_year_may_be_out_of_date(client, make_profile):
    make_profile(external_id="COL-old", title_en="Old program")
    page = english("COL-old")
    assert "may be out of date" not in client.get(page.url).content.decode()
    long_ago = timezone.now() - timedelta(days=400)
    ProgramProfilePage.objects.filter(translation_key=page.translation_key).update(
        last_published_at=long_ago)
    assert "This profile may be out of date." in client.get(page.url).content.decode()


def test_one_page_pdf_sheet_of_the_longest_annex_profile(client):
    annex = json.loads((Path(__file__).resolve().parents[2] / "programs/data/annex_profiles.json"
                        ).read_text(encoding="utf-8"))["profiles"]
    longest = max(annex, key=lambda profile: len(profile["objectives_en"]) + sum(
        len(item) for item in profile["achievements_en"]))
    page = write_profile(annex_record(longest), publish=True)
    response = client.get(f"{page.url}pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert " ".join(longest["title_en"].split()[:4]) in text
    spanish = page.get_translation(page.locale.__class__.objects.get(language_code="es"))
    reader_es = PdfReader(io.BytesIO(client.get(f"{spanish.url}pdf/").content))
    assert len(reader_es.pages) == 1
    assert "Objetivos generales" in reader_es.pages[0].extract_text() or (
        "General objectives" in reader_es.pages[0].extract_text())


def test_index_filters_by_every_facet_and_links_the_export(client, make_profile):
    make_profile(external_id="COL-f1", title_en="Alpha food", topics=["food_security"],
                 sdg_goals=["2"], exchange_methods=["workshops"])
    make_profile(external_id="PER-f2", country="PER", title_en="Beta school",
                 topics=["education"], statuses=["closed"], target_populations=["elderly"])

    def titles(query):
        html = client.get(f"/en/programs/?{query}").content.decode()
        return {title for title in ["Alpha food", "Beta school"] if title in html}

    assert titles("") == {"Alpha food", "Beta school"}
    assert titles("country=PER") == {"Beta school"}
    assert titles("topic=food_security") == {"Alpha food"}
    assert titles("population=elderly") == {"Beta school"}
    assert titles("status=closed") == {"Beta school"}
    assert titles("exchange_method=workshops") == {"Alpha food"}
    assert titles("sdg=2") == {"Alpha food"}
    assert titles("topic=nonsense") == {"Alpha food", "Beta school"}
    html = client.get("/en/programs/?topic=education").content.decode()
    assert 'href="/en/programs/export/?topic=education&amp;format=csv"' in html
    assert '<label for="id_topic">' in html


def test_navigation_and_home_card_lead_to_the_programs_index_in_each_language(client):
    html = client.get("/en/").content.decode()
    assert '<li><a href="/en/programs/">Programs</a></li>' in html
    assert '<a href="/en/programs/">Program profiles</a>' in html
    html_es = client.get("/es/").content.decode()
    assert 'href="/es/programas/"' in html_es
    assert '<a href="/es/programas/">Fichas de programas</a>' in html_es
    assert client.get("/es/programas/").status_code == 200
