"""Guessing ids and URLs gets no one into what is not theirs: every role tries country B's
draft profile, every private page of a workshop it has no part in, and another
organisation's registry entry, by URL and by API id, and gets a refusal (403, 404, 405, or a
redirect to sign in) with none of the private content in the answer."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from matchmaking.models import Delegate, ScheduleFlag, SolveJob, Workshop
from matchmaking.services import outcomes
from matchmaking.services.outcome_reports import WORKSHOP_REPORTS
from portal.accounts.roles import Role
from programs.models import Articulator
from programs.services.profiles import write_profile
from tests.conftest import make_user
from tests.matchmaking.rounds_factories import small_workshop
from tests.programs.conftest import profile_record
from tests.programs.registry.factories import make_entry

pytestmark = pytest.mark.django_db

# 422: the API's answer to an id of the wrong form (profiles are addressed by UUID).
REFUSED = {403, 404, 405, 422}
SIGN_IN_PAGES = ("/en/account/login/", "/admin/login/")
DRAFT_TITLE = "Borrador reservado del Perú"
W2_NOTES = "Private notes of workshop two"
W2_DELEGATE = "Delegada Reservada Dos"
PENDING_NAME = "Organización pendiente reservada"
ALL_ROLES = {"anonymous", "delegate of country A", "organiser of workshop 1",
             "organisation member", "moderator"}
# Shown to anyone by design: the workshop's own page (name, dates, rooms, offers).
PUBLIC_WORKSHOP_VIEWS = {"workshop_detail"}
# Views that never name a workshop in their URL.
WORKSHOP_LESS_VIEWS = {"workshop_list", "workshop_import", "cross_outcome_report",
                       "cross_outcome_report_file"}


@pytest.fixture
def world(db):
    country_a_delegate = make_user(Role.COUNTRY_DELEGATE, country=_country("COL"))
    organiser_one = make_user(Role.ORGANISER)
    member = make_user(Role.ECOSYSTEM_MEMBER)
    _one, _sessions, one_delegations = small_workshop("workshop-one", organiser=organiser_one)
    Delegate.objects.create(delegation=one_delegations["COL"], name="Delegate One",
                            user=country_a_delegate)
    own_entry = make_entry("approved", contact_email=member.email)
    Articulator.objects.filter(pk=own_entry.pk).update(owner=member)
    return {
        "users": {"anonymous": None, "delegate of country A": country_a_delegate,
                  "organiser of workshop 1": organiser_one, "organisation member": member,
                  "moderator": make_user(Role.MODERATOR)},
        "workshop_two": _workshop_two(),
        "draft": write_profile(profile_record(country="PER", title_en=DRAFT_TITLE),
                               publish=False),
        "pending": make_entry("pending", name=PENDING_NAME),
        "approved": make_entry("approved", contact_email="private.contact@example.org"),
    }


def _country(iso3):
    from portal.models import Country

    return Country.objects.get(iso3=iso3)


def _workshop_two():
    organiser_two = make_user(Role.ORGANISER)
    workshop, _sessions, delegations = small_workshop("workshop-two", organiser=organiser_two)
    Workshop.objects.filter(pk=workshop.pk).update(published_version=workshop.current_version)
    Delegate.objects.create(delegation=delegations["PER"], name=W2_DELEGATE,
                            email="reservada@example.org",
                            user=make_user(Role.COUNTRY_DELEGATE, country=_country("PER")))
    outcomes.record_intention(workshop, outcomes.IntentionFields(
        demanding=delegations["PER"], suppliers=[delegations["COL"]], notes=W2_NOTES))
    SolveJob.objects.create(workshop=workshop, created_by=organiser_two)
    workshop.refresh_from_db()
    return workshop


def workshop_urls(workshop):
    """Every private view of ``workshop``, with real ids and keys of that workshop."""
    delegate = Delegate.objects.get(delegation__workshop=workshop, name=W2_DELEGATE)
    values = {"slug": workshop.slug, "key": "PER", "room_key": "r1", "number": 1,
              "job_id": SolveJob.objects.get(workshop=workshop).pk,
              "delegate_id": delegate.pk, "report": WORKSHOP_REPORTS[0], "file_format": "csv",
              "token": "guessed-token"}
    urls = {}
    for name, patterns in _matchmaking_names():
        if name in PUBLIC_WORKSHOP_VIEWS | WORKSHOP_LESS_VIEWS:
            continue
        for parameters in patterns:
            urls[name] = reverse(f"matchmaking:{name}",
                                 kwargs={key: values[key] for key in parameters})
    return urls


def _matchmaking_names():
    from matchmaking.urls import urlpatterns

    for pattern in urlpatterns:
        yield pattern.name, [sorted(pattern.pattern.converters)]


def as_role(world, role):
    client = Client()
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    return client


def refused(response):
    if response.status_code in (301, 302):
        location = response["Location"]
        # Wagtail answers a signed-in user's forbidden admin request with its dashboard.
        return location.startswith(SIGN_IN_PAGES) or location == "/admin/"
    return response.status_code in REFUSED


def attempt(client, method, url, data=None):
    """The answer to a request, after any redirect that is not to a sign-in page: a refusal
    may redirect back to a page, which must then be refused too."""
    response = getattr(client, method)(url, data or {})
    for _hop in range(3):
        if response.status_code not in (301, 302) or refused(response):
            break
        response = client.get(response["Location"])
    return response


def leaked(response, *secrets):
    body = response.content.decode(errors="replace")
    return [secret for secret in secrets if secret in body]


def test_no_role_reaches_another_workshops_data(world):
    urls = workshop_urls(world["workshop_two"])
    assert len(urls) >= 35  # every private view of a workshop
    reached = []
    for role in ALL_ROLES:
        client = as_role(world, role)
        for name, url in urls.items():
            for method in ("get", "post"):
                response = attempt(client, method, url)
                if not refused(response) or leaked(response, W2_NOTES, W2_DELEGATE,
                                                   "reservada@example.org"):
                    reached.append((role, method, name, url, response.status_code))
    assert reached == []
    workshop = world["workshop_two"]
    assert not ScheduleFlag.objects.filter(version__workshop=workshop).exists()
    assert workshop.intentions.count() == 1
    assert workshop.schedule_versions.count() == 1


def test_no_role_reaches_another_countrys_draft(world):
    draft = world["draft"]
    reached = []
    for role in ALL_ROLES - {"moderator"}:  # moderators review every country's drafts
        client = as_role(world, role)
        for url in [draft.url, f"/api/v1/programs/{draft.pk}/",
                    f"/api/v1/programs/{draft.translation_key}/",
                    f"/admin/pages/{draft.pk}/edit/", f"/admin/pages/{draft.pk}/view_draft/",
                    f"/admin/pages/{draft.pk}/history/", f"/admin/pages/{draft.pk}/delete/"]:
            response = attempt(client, "get", url)
            if not refused(response) or leaked(response, DRAFT_TITLE):
                reached.append((role, url, response.status_code))
        for url in ["/en/search/?q=Borrador+reservado", "/api/v1/search/?q=Borrador+reservado",
                    "/api/v1/programs/?country=PER", "/en/programs/export/?format=json",
                    "/en/programs/peru/"]:
            if leaked(client.get(url), DRAFT_TITLE):
                reached.append((role, url, "listed"))
    assert reached == []
    assert draft.__class__.objects.get(pk=draft.pk).title == DRAFT_TITLE  # nothing deleted


def test_no_role_reaches_another_organisations_entry(world):
    pending, approved = world["pending"], world["approved"]
    reached = []
    for role in ALL_ROLES - {"moderator"}:  # moderators review every entry
        client = as_role(world, role)
        for url in [f"/en/programs/articulators/{pending.pk}/",
                    f"/en/programs/articulators/{pending.pk}/edit/",
                    f"/en/programs/articulators/{approved.pk}/edit/",
                    f"/api/v1/articulators/{pending.pk}/",
                    f"/admin/snippets/programs/articulator/edit/{approved.pk}/"]:
            for method in ("get", "post"):
                response = attempt(client, method, url, {"name": "Taken over"})
                if not refused(response) or leaked(response, PENDING_NAME,
                                                   "private.contact@example.org"):
                    reached.append((role, method, url, response.status_code))
        # Public by design: approved entries without their contacts, and statistics.
        for url in [f"/en/programs/articulators/{approved.pk}/", "/en/programs/articulators/",
                    f"/api/v1/articulators/{approved.pk}/", "/api/v1/articulators/",
                    "/en/programs/articulators/dashboard/",
                    "/en/programs/articulators/dashboard.csv",
                    "/en/programs/articulators/export.csv",
                    "/en/programs/articulators/export.json"]:
            if leaked(client.get(url), PENDING_NAME, "private.contact@example.org"):
                reached.append((role, url, "listed"))
    assert reached == []
    approved.refresh_from_db()
    assert approved.contact_email == "private.contact@example.org"
    assert approved.name != "Taken over"


def test_the_organiser_does_reach_their_own_workshop(world):
    """The refusals above are about whose data it is: the same views of workshop 1 open
    for its organiser."""
    client = as_role(world, "organiser of workshop 1")
    one = Workshop.objects.get(slug="workshop-one")
    for name in ("dashboard", "schedule_editor", "intention_list", "checkin_rooms",
                 "attendance_report"):
        assert client.get(reverse(f"matchmaking:{name}", args=[one.slug])).status_code == 200
    assert settings.LOGIN_URL == "accounts:login"
