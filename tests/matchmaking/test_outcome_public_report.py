"""The public outcome report: the organiser writes and publishes it in both languages; it
links every intention to its program profile, never shows contacts, and only a published
report reaches the discovery search."""

import pytest

from matchmaking.models import OutcomeReport
from matchmaking.services import outcomes
from search.backends import get_backend
from tests.matchmaking.outcome_factories import load_outcomes

pytestmark = pytest.mark.django_db
URL = "/en/workshops/santa-marta-2012/outcomes/report/"
TEXTS = {"title_en": "Agreed in the rounds", "title_es": "Acordado en las rondas",
         "summary_en": "Forty-six intentions of cooperation.",
         "summary_es": "Cuarenta y seis intenciones de cooperación."}


def indexed(text, content_type="outcome_report"):
    result = get_backend().query(text, filters={"content_type": [content_type]}, per_page=50)
    return {(hit.title, hit.url, hit.language) for hit in result.hits}


@pytest.fixture
def outcomes_demo(santa_marta, organiser, commit):
    commit(lambda: load_outcomes(santa_marta, organiser))
    return santa_marta


def test_the_demo_report_is_published_and_found_in_both_languages(outcomes_demo, client):
    report = OutcomeReport.objects.get(workshop=outcomes_demo)
    assert report.is_published
    assert (report.title_en, "/en/workshops/santa-marta-2012/outcomes/report/", "en") in (
        indexed("cooperation agreed rounds"))
    assert (report.title_es, "/es/workshops/santa-marta-2012/outcomes/report/", "es") in (
        indexed("cooperación acordada rondas"))
    # Intentions' parties and programs are findable through the report.
    assert report.title_en in {title for title, _url, _lang in indexed("Habitability Chile")}

    page = client.get(URL).content.decode()
    assert report.title_en in page and "46 preliminary cooperation agreements" in page
    spanish = client.get("/es/workshops/santa-marta-2012/outcomes/report/").content.decode()
    assert report.title_es in spanish
    assert "<td>Brasil</td>" in spanish and "Financiamiento solicitado" in spanish


def test_an_unpublished_report_is_neither_public_nor_indexed(santa_marta, organiser, commit,
                                                             client):
    santa_marta.organisers.add(organiser)
    santa_marta.save()
    report = commit(lambda: outcomes.save_outcome_report(santa_marta, TEXTS, by=organiser))
    assert not report.is_published
    assert indexed("rondas acordado") == set() and indexed("agreed rounds") == set()
    assert client.get(URL).status_code == 404
    client.force_login(organiser)
    assert "Preview: this report is not published." in client.get(URL).content.decode()

    commit(lambda: outcomes.set_report_published(report, True, by=organiser))
    assert {title for title, _url, _lang in indexed("rondas acordado")} == {
        "Acordado en las rondas"}
    client.logout()
    assert client.get(URL).status_code == 200

    commit(lambda: outcomes.set_report_published(report, False, by=organiser))
    assert indexed("agreed rounds") == set()
    assert client.get(URL).status_code == 404


def test_publishing_needs_both_languages_and_an_organiser(santa_marta, organiser, delegate):
    santa_marta.organisers.add(organiser)
    santa_marta.save()
    with pytest.raises(outcomes.OutcomeError, match="missing: summary_es"):
        outcomes.save_outcome_report(santa_marta, {**TEXTS, "summary_es": " "}, by=organiser,
                                     publish=True)
    with pytest.raises(outcomes.OutcomeError, match="Only the workshop's organisers"):
        outcomes.save_outcome_report(santa_marta, TEXTS, by=delegate, publish=True)
    assert not OutcomeReport.objects.exists()


def test_report_links_intentions_to_program_profiles_and_hides_contacts(outcomes_demo, client):
    from programs.models import ProgramProfilePage
    from programs.services.profiles import write_profile
    from tests.programs.conftest import profile_record

    intention = outcomes_demo.intentions.get(number=23)
    intention.contacts = "private.person@example.gov"
    intention.save()
    page = write_profile(profile_record(country="COL"), publish=True)
    page = ProgramProfilePage.objects.get(translation_key=page.translation_key,
                                          locale__language_code=page.original_language)
    offer = intention.offer
    offer.profile = page
    offer.save()
    body = client.get(URL).content.decode()
    assert f'href="{page.url}"' in body
    assert "private.person@example.gov" not in body
    assert "Selected for funding" in body


def test_organiser_publishes_through_the_page(santa_marta, organiser, client, commit):
    santa_marta.organisers.add(organiser)
    santa_marta.save()
    client.force_login(organiser)
    edit = "/en/workshops/santa-marta-2012/outcomes/report/edit/"
    response = commit(lambda: client.post(edit, {**TEXTS, "action": "publish"}))
    assert response.status_code == 302
    report = OutcomeReport.objects.get()
    assert report.is_published and report.published_on is not None
    assert indexed("agreed rounds") == {("Agreed in the rounds", URL, "en")}
    commit(lambda: client.post(edit, {"action": "unpublish"}))
    assert not OutcomeReport.objects.get().is_published
    assert indexed("agreed rounds") == set()
