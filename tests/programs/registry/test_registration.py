"""The public multi-step registration, its email confirmation and its spam defences."""

import pytest
from django.core import mail

from portal.models import Country
from programs.models import Articulator, ArticulatorToken, RegistrationStatus
from programs.models.registry import hash_token
from tests.programs.registry.factories import (
    committed,
    fill_wizard,
    link_token,
    make_entry,
    wizard_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_url(registration_page):
    return registration_page.url


def test_registration_goes_through_the_steps_and_waits_for_the_email(client, page_url):
    client = client
    response = client.get(page_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Step 1 of 5: Organisation" in html
    assert 'aria-current="step"' in html

    answers = wizard_answers()
    with committed():
        response = fill_wizard(client, page_url, answers)
    assert response.status_code == 302 and response["Location"].endswith("?step=sent")

    entry = Articulator.objects.get(name=answers["organisation"]["name"])
    assert not entry.live
    assert entry.self_registered and entry.email_confirmed_at is None
    assert entry.registration_status == RegistrationStatus.UNCONFIRMED
    assert entry.language == "en"
    assert [region.pk for region in entry.regions.order_by("pk")] == answers["place"]["regions"]
    assert entry.runs_linkage_activities is True and entry.has_alliances is False
    assert entry.revisions.count() == 1
    assert not entry.workflow_states.exists()

    message = mail.outbox[-1]
    assert message.to == [answers["contact"]["contact_email"]]
    token = link_token(message, "confirm")
    stored = ArticulatorToken.objects.get(articulator=entry)
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    assert stored.purpose == ArticulatorToken.Purpose.CONFIRM_EMAIL

    sent = client.get(response["Location"])
    assert answers["contact"]["contact_email"] in sent.content.decode()
    # The answers are gone from the session: a new visit starts afresh.
    assert "Step 1 of 5" in client.get(page_url).content.decode()


def test_confirming_the_email_puts_the_entry_in_the_moderation_queue(client, page_url):
    with committed():
        fill_wizard(client, page_url, wizard_answers())
    token = link_token(mail.outbox[-1], "confirm")
    url = f"/en/programs/articulators/confirm/{token}/"

    page = client.get(url)
    assert page.status_code == 200 and "Confirm my email address" in page.content.decode()
    entry = Articulator.objects.latest("pk")
    assert entry.email_confirmed_at is None  # looking at the link confirms nothing

    with committed():
        done = client.post(url)
    assert done.status_code == 200
    entry.refresh_from_db()
    assert entry.email_confirmed_at is not None
    assert entry.workflow_in_progress
    assert entry.registration_status == RegistrationStatus.PENDING
    assert "awaiting moderation" in mail.outbox[-1].subject

    again = client.post(url)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()


@pytest.mark.parametrize("token", ["not-a-token", ""])
def test_a_wrong_confirmation_link_is_explained(client, token):
    url = f"/en/programs/articulators/confirm/{token or 'x'}/"
    response = client.get(url)
    assert response.status_code == 410
    assert "not valid" in response.content.decode()


def test_an_expired_confirmation_link_is_refused(client, page_url):
    from datetime import timedelta

    from django.utils import timezone

    with committed():
        fill_wizard(client, page_url, wizard_answers())
    token = link_token(mail.outbox[-1], "confirm")
    ArticulatorToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(f"/en/programs/articulators/confirm/{token}/")
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert Articulator.objects.latest("pk").email_confirmed_at is None


def test_each_step_names_what_is_wrong_and_keeps_nothing_half_done(client, page_url):
    response = client.post(f"{page_url}?step=organisation",
                                    {"action": "next", "website": "not a website"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please correct the following" in html
    assert "Organisation name: This field is required." in html
    assert "Enter a valid URL." in html
    assert 'aria-invalid="true"' in html
    assert not Articulator.objects.exists()
    # The next steps cannot be reached before this one is valid.
    skipped = client.get(f"{page_url}?step=review")
    assert skipped.status_code == 302 and skipped["Location"].endswith("?step=organisation")


def test_the_place_step_offers_the_countrys_regions_by_macrozone(client, page_url):
    answers = wizard_answers()
    client.post(f"{page_url}?step=organisation",
                        {**answers["organisation"], "action": "next"})
    html = client.get(f"{page_url}?step=place").content.decode()
    assert "<legend>Centre-south zone and Metropolitan Region</legend>" in html
    assert "Ñuble" in html
    assert "Apurímac" not in html


def test_linkage_and_alliances_need_a_description_when_the_answer_is_yes(
        client, page_url):
    answers = wizard_answers(activities={"has_alliances": "yes", "alliances_description": " "})
    for step in ("organisation", "place"):
        client.post(f"{page_url}?step={step}", {**answers[step], "action": "next"})
    response = client.post(f"{page_url}?step=activities",
                                   {**answers["activities"], "action": "next"})
    assert response.status_code == 200
    assert "Describe the alliances it has made." in response.content.decode()


def test_previous_keeps_the_answers_and_a_new_country_asks_for_regions_again(
        client, page_url):
    answers = wizard_answers()
    for step in ("organisation", "place"):
        client.post(f"{page_url}?step={step}", {**answers[step], "action": "next"})
    back = client.post(f"{page_url}?step=activities",
                               {"runs_linkage_activities": "no", "action": "back"})
    assert back["Location"].endswith("?step=place")
    html = client.get(f"{page_url}?step=activities").content.decode()
    assert 'value="no" required id="id_runs_linkage_activities_1" checked' in html

    peru = Country.objects.get(iso3="PER")
    client.post(f"{page_url}?step=organisation",
                        {**answers["organisation"], "country": peru.pk, "action": "next"})
    place = client.get(f"{page_url}?step=place").content.decode()
    assert "No regions are defined for Peru yet" in place
    assert "id_head_office_region" not in place


def test_a_country_without_regions_registers_with_scope_only(client, page_url):
    peru = Country.objects.get(iso3="PER")
    answers = wizard_answers(country=peru)
    with committed():
        response = fill_wizard(client, page_url, answers)
    assert response.status_code == 302
    entry = Articulator.objects.get(name=answers["organisation"]["name"])
    assert entry.country == peru and entry.head_office_region is None
    assert not entry.regions.exists()


def test_the_review_shows_probable_duplicates_but_never_unpublished_entries(
        client, page_url):
    published = make_entry("approved", website="https://www.puente-unico.example")
    make_entry("pending", name="Corporación Puente Secreto", website="https://secreto.example")
    answers = wizard_answers(organisation={"website": "http://puente-unico.example/contacto",
                                           "name": "Corporación Puente Secreto"})
    fill_wizard(client, page_url, answers, submit=False)
    review = client.get(f"{page_url}?step=review").content.decode()
    assert "Is your organisation already registered?" in review
    assert published.name in review and "same website" in review
    assert "Corporación Puente Secreto</a>" not in review


def test_the_robot_trap_stores_nothing_and_sends_nothing(client, page_url):
    answers = wizard_answers(organisation={"fax_number": "555-1234"})
    response = client.post(f"{page_url}?step=organisation",
                                   {**answers["organisation"], "action": "next"})
    assert response.status_code == 302 and response["Location"].endswith("?step=sent")
    assert not Articulator.objects.exists()
    assert mail.outbox == []
    assert "Step 1 of 5" in client.get(page_url).content.decode()


def test_the_honeypot_is_hidden_from_people(client, page_url):
    html = client.get(page_url).content.decode()
    assert 'class="field registry-trap"' in html
    assert 'tabindex="-1"' in html


def test_submissions_are_limited_per_address(client, page_url, settings, client_address):
    settings.REGISTRY_RATE_LIMITS = {"register": (2, 3600)}
    client.defaults["REMOTE_ADDR"] = client_address
    for _attempt in range(2):
        assert fill_wizard(client, page_url, wizard_answers()).status_code == 302
    refused = fill_wizard(client, page_url, wizard_answers())
    assert refused.status_code == 429
    assert "Too many submissions from your network address" in refused.content.decode()
    assert Articulator.objects.count() == 2

    client.defaults["REMOTE_ADDR"] = client_address.replace("10.", "11.", 1)
    assert fill_wizard(client, page_url, wizard_answers()).status_code == 302
    assert Articulator.objects.count() == 3


def test_a_signed_in_ecosystem_member_becomes_the_entrys_account(
        client, page_url, ecosystem_member):
    client.force_login(ecosystem_member)
    answers = wizard_answers()
    fill_wizard(client, page_url, answers)
    assert Articulator.objects.get(name=answers["organisation"]["name"]).owner == ecosystem_member


def test_the_form_and_its_email_speak_spanish(client, registration_page):
    spanish = registration_page.get_translation(
        registration_page.locale.__class__.objects.get(language_code="es"))
    url = spanish.url
    assert url.startswith("/es/")
    html = client.get(url).content.decode()
    assert "Paso 1 de 5: Organización" in html
    with committed():
        fill_wizard(client, url, wizard_answers())
    entry = Articulator.objects.latest("pk")
    assert entry.language == "es"
    message = mail.outbox[-1]
    assert message.subject == "Confirme su inscripción en el registro del ecosistema"
    assert "/es/programs/articulators/confirm/" in message.body
