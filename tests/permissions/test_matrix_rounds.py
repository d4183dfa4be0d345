"""Permission matrix rows for workshop rounds: only the organisers of a workshop build, edit,
publish and export its schedule; a delegation sees its own agenda once published."""

import pytest
from django.test import override_settings
from django.urls import reverse

from matchmaking.models import Delegate, Round, SolveJob, Workshop
from portal.accounts.roles import Role
from tests.conftest import make_user
from tests.matchmaking.rounds_factories import small_workshop
from tests.permissions.harness import ROLES, World, action, check, shown

WORKSHOP_ORGANISERS = {Role.ORGANISER, Role.ADMINISTRATOR}
ITS_DELEGATION = {Role.COUNTRY_DELEGATE, *WORKSHOP_ORGANISERS}


def workshop_of(world, *, published=False, organised_by_world=True):
    """The small workshop, organised by the matrix's organiser, with the matrix's delegate
    a member of its Colombian delegation."""
    organiser = world.users[Role.ORGANISER] if organised_by_world else make_user(Role.ORGANISER)
    workshop, _sessions, delegations = small_workshop(organiser=organiser)
    Delegate.objects.create(delegation=delegations["COL"], name="Matrix delegate",
                            user=world.users[Role.COUNTRY_DELEGATE])
    if published:
        Workshop.objects.filter(pk=workshop.pk).update(
            published_version=workshop.current_version)
        workshop.refresh_from_db()
    return workshop


def a_round(workshop, offer="col-unidos"):
    return Round.objects.get(version=workshop.current_version, offer__key=offer)


@action("open the schedule editor of a workshop one organises", WORKSHOP_ORGANISERS)
def open_editor(client, world):
    workshop = workshop_of(world)
    response = client.get(reverse("matchmaking:schedule_editor", args=[workshop.slug]))
    return shown(response) and "Red UNIDOS" in response.content.decode()


@action("pin a round in the schedule", WORKSHOP_ORGANISERS)
def pin_round(client, world):
    workshop = workshop_of(world)
    client.post(reverse("matchmaking:schedule_edit", args=[workshop.slug]), {
        "action": "pin", "based_on": "1", "round_id": a_round(workshop).pk})
    return workshop.schedule_versions.count() == 2


@action("edit the schedule of a workshop someone else organises", {Role.ADMINISTRATOR})
def edit_other_workshop(client, world):
    workshop = workshop_of(world, organised_by_world=False)
    client.post(reverse("matchmaking:schedule_edit", args=[workshop.slug]), {
        "action": "pin", "based_on": "1", "round_id": a_round(workshop).pk})
    return workshop.schedule_versions.count() == 2


@action("start an optimiser run", WORKSHOP_ORGANISERS)
def start_run(client, world):
    workshop = workshop_of(world)
    with override_settings(MATCHMAKING_SOLVE_RUNNER="channel"):  # queued, not run here
        client.post(reverse("matchmaking:schedule_solve", args=[workshop.slug]),
                    {"objective": "demand", "time_limit": "10"})
    return SolveJob.objects.filter(workshop=workshop).exists()


@action("see the history of optimiser runs", WORKSHOP_ORGANISERS)
def see_runs(client, world):
    workshop = workshop_of(world)
    return shown(client.get(reverse("matchmaking:schedule_build", args=[workshop.slug])))


@action("publish the schedule", WORKSHOP_ORGANISERS)
def publish(client, world):
    workshop = workshop_of(world)
    client.post(reverse("matchmaking:schedule_publish", args=[workshop.slug]),
                {"based_on": "1"})
    workshop.refresh_from_db()
    return workshop.published_version_id is not None


@action("export the schedule as CSV", WORKSHOP_ORGANISERS)
def export_csv(client, world):
    workshop = workshop_of(world, published=True)
    response = client.get(reverse("matchmaking:schedule_export", args=[workshop.slug, "csv"]))
    return shown(response) and b"Red UNIDOS" in response.content


@action("see the unpublished schedule in an agenda", WORKSHOP_ORGANISERS)
def preview_agenda(client, world):
    workshop = workshop_of(world)
    response = client.get(reverse("matchmaking:agenda_delegation", args=[workshop.slug, "COL"])
                          + "?preview=1")
    return shown(response) and "Red UNIDOS" in response.content.decode()


@action("read one's own delegation's published agenda", ITS_DELEGATION)
def own_agenda(client, world):
    workshop = workshop_of(world, published=True)
    response = client.get(reverse("matchmaking:agenda_delegation", args=[workshop.slug, "COL"]))
    return shown(response) and "Red UNIDOS" in response.content.decode()


@action("read another delegation's published agenda", WORKSHOP_ORGANISERS)
def other_agenda(client, world):
    workshop = workshop_of(world, published=True)
    response = client.get(reverse("matchmaking:agenda_delegation", args=[workshop.slug, "PER"]))
    return shown(response) and "JUNTOS" in response.content.decode()


@action("download one's own delegation's agenda as iCalendar", ITS_DELEGATION)
def own_ics(client, world):
    workshop = workshop_of(world, published=True)
    response = client.get(reverse("matchmaking:agenda_ics", args=[workshop.slug, "COL"]))
    return shown(response) and b"SUMMARY:Red UNIDOS" in response.content


ROWS = [open_editor, pin_round, edit_other_workshop, start_run, see_runs, publish, export_csv,
        preview_agenda, own_agenda, other_agenda, own_ics]


class RoundsWorld(World):
    def client_for(self, client, role):
        client.logout()
        return super().client_for(client, role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=str)
def test_permission_matrix(client, role, row):
    check(client, RoundsWorld(), role, row)
