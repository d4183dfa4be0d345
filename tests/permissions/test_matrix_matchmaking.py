"""Permission matrix rows for workshops: the public pages, a delegation's offers and requests
(its own only, before publication), and what only the workshop's organisers may do."""

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from matchmaking import demo
from matchmaking.models import (
    Delegate,
    Offer,
    Request,
    RequestAnswer,
    RequestReminder,
    ScheduleExclusion,
    Workshop,
)
from matchmaking.services.exchange import import_workshop
from portal.accounts.roles import Role
from programs.models import ProgramProfilePage
from programs.services.profiles import write_profile
from tests.matchmaking.test_organisers import workshop_form
from tests.permissions.harness import ANONYMOUS, ROLES, World, action, check, shown
from tests.programs.conftest import profile_record

EVERYONE = set(ROLES)
ORGANISERS = {Role.ORGANISER, Role.ADMINISTRATOR}
COL_DELEGATION = {Role.COUNTRY_DELEGATE, *ORGANISERS}


class WorkshopWorld(World):
    """Santa Marta 2012 organised by the organiser, with the delegate in Colombia's
    delegation; a second, small workshop organised by someone else."""

    def __init__(self):
        super().__init__()
        self.workshop = import_workshop(demo.document(),
                                        created_by=self.users[Role.ORGANISER.value])
        delegate = self.users[Role.COUNTRY_DELEGATE.value]
        Delegate.objects.create(delegation=self.workshop.delegations.get(key="COL"),
                                user=delegate, name="Delegate", email=delegate.email)
        self.others = Workshop.objects.create(name="Elsewhere", slug="elsewhere",
                                              starts_on=date(2013, 5, 1),
                                              ends_on=date(2013, 5, 2))

    def client_for(self, client, role):
        client.logout()
        return super().client_for(client, role)

    def url(self, path=""):
        return f"/en/workshops/{self.workshop.slug}/{path}"


@action("read the workshop list and a workshop page", EVERYONE)
def read_public(client, world):
    return shown(client.get("/en/workshops/")) and shown(client.get(world.url()))


@action("see the own delegation's ranked requests", COL_DELEGATION)
def see_own_requests(client, world):
    first = world.workshop.delegations.get(key="COL").requests.order_by("rank").first()
    response = client.get(world.url("delegations/COL/requests/"))
    return shown(response) and first.offer.title in response.content.decode()


@action("see another delegation's requests before publication", ORGANISERS)
def see_other_requests(client, world):
    return shown(client.get(world.url("delegations/PER/requests/")))


@action("rank offers for the own delegation", COL_DELEGATION)
def rank_own(client, world):
    offer = Offer.objects.get(workshop=world.workshop, key="PER-qali-warma")
    client.post(world.url("delegations/COL/requests/"), {"ranking": [offer.pk]})
    col = world.workshop.delegations.get(key="COL")
    return list(col.requests.values_list("offer_id", flat=True)) == [offer.pk]


@action("offer the own delegation's published programs", COL_DELEGATION)
def offer_own(client, world):
    page = write_profile(profile_record(country="COL"), publish=True)
    page = ProgramProfilePage.objects.get(translation_key=page.translation_key,
                                          locale__language_code=page.original_language)
    client.post(world.url("delegations/COL/offers/"),
                {f"offer_{page.pk}": "on", f"repeats_{page.pk}": "1"})
    return Offer.objects.filter(workshop=world.workshop, profile=page).exists()


@action("see the requests for the own delegation's offers", COL_DELEGATION)
def see_incoming(client, world):
    response = client.get(world.url("delegations/COL/incoming/"))
    return shown(response) and "asks for" in response.content.decode()


@action("see the requests for another delegation's offers", ORGANISERS)
def see_other_incoming(client, world):
    return shown(client.get(world.url("delegations/PER/incoming/")))


def _answer(client, world, owner):
    Workshop.objects.filter(pk=world.workshop.pk).update(requests_need_answer=True)
    request = Request.objects.filter(offer__workshop=world.workshop,
                                     offer__delegation__key=owner).order_by("pk").first()
    client.post(world.url(f"delegations/{owner}/incoming/"),
                {"action": "decline", "request": request.pk, "message": "Not now"})
    request.refresh_from_db()
    return request.answer == RequestAnswer.DECLINED


@action("accept or decline requests for the own delegation's offers", COL_DELEGATION)
def answer_own(client, world):
    return _answer(client, world, "COL")


@action("accept or decline requests for another delegation's offers", ORGANISERS)
def answer_other(client, world):
    return _answer(client, world, "PER")


@action("mark a delegation “do not schedule with” for the own delegation", COL_DELEGATION)
def keep_apart_own(client, world):
    Workshop.objects.filter(pk=world.workshop.pk).update(bilateral=True)
    peru = world.workshop.delegations.get(key="PER")
    client.post(world.url("delegations/COL/incoming/"), {"action": "keep_apart",
                                                         "other": peru.pk})
    return ScheduleExclusion.objects.filter(delegation__workshop=world.workshop,
                                            delegation__key="COL", other=peru).exists()


@action("open the organisers' dashboard of the workshop", ORGANISERS)
def open_dashboard(client, world):
    return shown(client.get(world.url("dashboard/")))


@action("open the dashboard of a workshop organised by others", {Role.ADMINISTRATOR})
def open_other_dashboard(client, world):
    return shown(client.get(f"/en/workshops/{world.others.slug}/dashboard/"))


@action("send reminders to delegations without requests", ORGANISERS)
def send_reminders(client, world):
    silent = world.workshop.delegations.get(key="GTM")
    silent.requests.all().delete()
    Delegate.objects.create(delegation=silent, name="Named", email="named@example.gov")
    client.post(world.url("dashboard/reminders/"))
    return RequestReminder.objects.filter(delegation=silent).exists()


@action("edit the workshop in the admin", ORGANISERS)
def edit_workshop(client, world):
    small = Workshop.objects.create(name="Small", slug="small", starts_on=date(2012, 10, 31),
                                    ends_on=date(2012, 11, 2))
    small.organisers.add(world.users[Role.ORGANISER.value])
    small.save()
    client.post(f"/admin/snippets/matchmaking/workshop/edit/{small.pk}/",
                workshop_form(small, venue="Changed by the matrix"))
    return Workshop.objects.get(pk=small.pk).venue == "Changed by the matrix"


@action("edit a workshop organised by others in the admin", {Role.ADMINISTRATOR})
def edit_other_workshop(client, world):
    client.post(f"/admin/snippets/matchmaking/workshop/edit/{world.others.pk}/",
                workshop_form(world.others, venue="Changed by the matrix"))
    return Workshop.objects.get(pk=world.others.pk).venue == "Changed by the matrix"


@action("download the workshop as negotiation-rounds/1 JSON", ORGANISERS)
def export_workshop(client, world):
    response = client.get(world.url("export.json"))
    return shown(response) and b"negotiation-rounds/1" in response.content


@action("import a workshop from a file", ORGANISERS)
def import_file(client, world):
    upload = SimpleUploadedFile("w.json", json.dumps(demo.document()).encode())
    client.post("/en/workshops/import/", {"file": upload, "slug": "imported-by-matrix"})
    return Workshop.objects.filter(slug="imported-by-matrix").exists()


ROWS = [read_public, see_own_requests, see_other_requests, rank_own, offer_own,
        see_incoming, see_other_incoming, answer_own, answer_other, keep_apart_own,
        open_dashboard, open_other_dashboard, send_reminders, edit_workshop,
        edit_other_workshop, export_workshop, import_file]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=str)
def test_permission_matrix(client, role, row):
    check(client, WorkshopWorld(), role, row)


def test_anonymous_visitors_reach_only_the_public_pages():
    assert {row.name for row in ROWS if ANONYMOUS in row.allowed} == {read_public.name}
