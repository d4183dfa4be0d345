"""Public pages come from the cache for anonymous visitors (portal.page_cache): a repeated
visit reads no row, a change of public content shows on the next visit, and nothing personal
(a signed-in page, a CSRF token, a cookie, a message) is ever kept or handed to someone else."""

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import ReferenceIndex

from matchmaking.services import outcomes
from portal.models import SiteIdentity
from portal.page_cache import CACHE_STATUS_HEADER, PRIVATE_MODELS
from programs.services.profiles import write_profile
from tests.matchmaking.conftest import santa_marta  # noqa: F401 - a fixture
from tests.programs.conftest import profile_record
from tests.programs.registry.factories import committed, make_entry

pytestmark = pytest.mark.django_db

HOME = "/en/"
COUNTRY = "/en/programs/colombia/"
DIRECTORY = "/en/programs/articulators/"


@pytest.fixture(autouse=True)
def site_settings(db):
    """The site's settings row exists, as it does once a site has served a page (the first
    page served creates it, which counts as a change of content)."""
    from wagtail.models import Site

    SiteIdentity.load(request_or_site=Site.objects.get(is_default_site=True))


def visit(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response


def test_a_repeated_anonymous_visit_reads_nothing_from_the_database(client):
    first = visit(client, COUNTRY)
    assert first[CACHE_STATUS_HEADER] == "miss"
    assert "public" in first["Cache-Control"]
    with CaptureQueriesContext(connection) as queries:
        second = Client().get(COUNTRY)
    assert second[CACHE_STATUS_HEADER] == "hit"
    assert len(queries.captured_queries) == 0
    assert second.content == first.content
    assert {"Cookie", "Accept-Language"} <= {
        part.strip() for part in second["Vary"].split(",")}


@pytest.mark.parametrize("url", [HOME, DIRECTORY, "/en/search/?q=program"])
def test_every_kind_of_public_page_is_cached(client, url):
    visit(client, url)
    assert visit(Client(), url)[CACHE_STATUS_HEADER] == "hit"


def test_a_published_profile_shows_on_the_next_visit(client):
    search = "/en/search/?q=quokkaville"
    visit(client, COUNTRY)
    assert "/quokkaville-meals/" not in visit(client, search).content.decode()
    assert visit(Client(), search)[CACHE_STATUS_HEADER] == "hit"
    with translation.override("en"), committed():
        write_profile(profile_record(title_en="Quokkaville meals"), publish=True)
    page = visit(Client(), COUNTRY)
    assert page[CACHE_STATUS_HEADER] == "miss"
    assert "Quokkaville meals" in page.content.decode()
    assert "/quokkaville-meals/" in visit(Client(), search).content.decode()


def test_an_approved_articulator_shows_on_the_next_visit(client):
    entry = make_entry("pending", name="Fundación Recién Aprobada")
    assert "Recién Aprobada" not in visit(client, DIRECTORY).content.decode()
    assert visit(Client(), DIRECTORY)[CACHE_STATUS_HEADER] == "hit"
    with committed():
        entry.current_workflow_task_state.approve(user=None)
    assert "Recién Aprobada" in visit(Client(), DIRECTORY).content.decode()


def test_a_published_outcome_report_shows_on_the_next_visit(santa_marta, organiser):  # noqa: F811
    santa_marta.organisers.add(organiser)
    santa_marta.save()
    url = "/en/workshops/santa-marta-2012/outcomes/report/"
    with committed():
        report = outcomes.save_outcome_report(santa_marta, {
            "title_en": "Agreed in the rounds", "title_es": "Acordado en las rondas",
            "summary_en": "Forty-six.", "summary_es": "Cuarenta y seis."}, by=organiser)
    assert Client().get(url).status_code == 404
    with committed():
        outcomes.set_report_published(report, True, by=organiser)
    assert "Agreed in the rounds" in visit(Client(), url).content.decode()
    with committed():
        outcomes.set_report_published(report, False, by=organiser)
    assert Client().get(url).status_code == 404


def test_signed_in_visitors_get_their_own_page_and_never_the_cached_one(client, delegate):
    anonymous = visit(client, HOME)
    assert "Sign in" in anonymous.content.decode()
    member = Client()
    member.force_login(delegate)
    signed_in = visit(member, HOME)
    assert CACHE_STATUS_HEADER not in signed_in
    assert "private" in signed_in["Cache-Control"]
    assert "My account" in signed_in.content.decode()
    # Their page was not stored for the next anonymous visitor either.
    assert "Sign in" in visit(Client(), HOME).content.decode()


def test_the_api_is_never_answered_from_the_cache(client):
    # Its rate limits count every request (tests/security/test_rate_limits.py).
    visit(client, "/api/v1/search/?q=programa")
    assert CACHE_STATUS_HEADER not in visit(Client(), "/api/v1/search/?q=programa")


def test_each_language_gets_its_own_page(client):
    visit(client, "/en/search/?q=programa")
    spanish = visit(Client(), "/es/search/?q=programa")
    assert spanish[CACHE_STATUS_HEADER] == "miss"
    assert spanish["Content-Language"] == "es"
    assert visit(Client(), HOME).content != visit(Client(), "/es/").content
    assert "Programas" in visit(Client(), "/es/").content.decode()


def test_no_cookie_csrf_token_or_message_is_kept_or_handed_on(client):
    for url in (HOME, COUNTRY, DIRECTORY):
        for visitor in (client, Client(), Client()):
            response = visit(visitor, url)
            assert not response.cookies, url
            assert "csrfmiddlewaretoken" not in response.content.decode()
    # The sign-in form holds a CSRF token: every visitor gets a fresh page and their own cookie.
    tokens = set()
    for _ in range(2):
        login = visit(Client(), "/en/account/login/")
        assert CACHE_STATUS_HEADER not in login
        tokens.add(login.cookies["csrftoken"].value)
    assert len(tokens) == 2
    # A visitor with a message waiting is answered by the view, which shows the message.
    with_message = Client()
    with_message.cookies["messages"] = "pending"
    assert CACHE_STATUS_HEADER not in visit(with_message, HOME)


def test_a_page_whose_view_writes_a_cookie_is_not_cached(client):
    registration = visit(client, "/en/programs/articulators/edit/")
    assert "csrftoken" in registration.cookies
    assert CACHE_STATUS_HEADER not in registration
    assert "csrftoken" in Client().get("/en/programs/articulators/edit/").cookies


def test_every_model_said_private_exists():
    labels = {model._meta.label_lower for model in apps.get_models(include_auto_created=True)}
    assert labels >= PRIVATE_MODELS, PRIVATE_MODELS - labels


def test_a_saved_draft_leaves_the_cached_pages_in_the_cache(client):
    """Delegates save drafts all day; a draft changes no live page, so it must not empty the
    cache (in the load benchmark every draft did, through the search index's sync)."""
    with translation.override("en"), committed():
        page = write_profile(profile_record(title_en="Quokkaville meals"), publish=True)
    url = page.url
    visit(client, url)
    assert visit(Client(), url)[CACHE_STATUS_HEADER] == "hit"
    with committed():
        draft = page.specific
        draft.title = "Quokkaville meals, second edition"
        draft.save_revision(log_action=True)
        # Wagtail's admin rewrites the page's reference index on a draft: rows go and come.
        ReferenceIndex.objects.filter(object_id=str(page.pk)).delete()
        ReferenceIndex.create_or_update_for_object(draft)
    again = visit(Client(), url)
    assert again[CACHE_STATUS_HEADER] == "hit"
    assert "second edition" not in again.content.decode()


def test_a_ranking_and_a_new_working_schedule_leave_the_cached_pages_in_the_cache(
        client, santa_marta):  # noqa: F811
    """Delegates rank offers and organisers run the optimiser while visitors browse; neither
    changes a public page (the organisers' change log and the working version are theirs)."""
    from matchmaking.services.demand import set_requests

    visit(client, HOME)
    assert visit(Client(), HOME)[CACHE_STATUS_HEADER] == "hit"
    colombia = santa_marta.delegations.get(key="COL")
    wanted = list(santa_marta.offers.exclude(delegation=colombia).values_list("pk", flat=True))
    with committed():
        set_requests(colombia, wanted[:2])
        santa_marta.current_version = None
        santa_marta.save(update_fields=["current_version"])
    assert santa_marta.changes.exists()
    assert visit(Client(), HOME)[CACHE_STATUS_HEADER] == "hit"
