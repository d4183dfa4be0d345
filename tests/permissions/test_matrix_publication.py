"""Permission matrix rows around publication: the organisers of a workshop check a version
for conflicts and share it as provisional; members of a delegation read it and flag problems;
on the day the organisers and a room's hosts check delegations in; organisers read the
attendance report."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.models import CheckIn, Round, ScheduleFlag, Workshop
from portal.accounts.roles import Role
from tests.permissions.harness import ROLES, action, check, shown
from tests.permissions.test_matrix_rounds import (
    ITS_DELEGATION,
    WORKSHOP_ORGANISERS,
    RoundsWorld,
    workshop_of,
)

ITS_MEMBERS = {Role.COUNTRY_DELEGATE}
ROOM_HOSTS = {Role.ECOSYSTEM_MEMBER, *WORKSHOP_ORGANISERS}


def provisional_workshop(world):
    workshop = workshop_of(world)
    Workshop.objects.filter(pk=workshop.pk).update(
        provisional_version=workshop.current_version)
    workshop.refresh_from_db()
    return workshop


def hosted_workshop(world):
    """Published, with the matrix's ecosystem member as host of Sala Caribe."""
    workshop = workshop_of(world, published=True)
    room = workshop.rooms.get(key="r1")
    room.hosts.add(world.users[Role.ECOSYSTEM_MEMBER])
    room.save()
    return workshop


@action("open the conflict report of a workshop one organises", WORKSHOP_ORGANISERS)
def open_check(client, world):
    workshop = workshop_of(world)
    response = client.get(reverse("matchmaking:schedule_check", args=[workshop.slug]))
    return shown(response) and "No rule is broken." in response.content.decode()


@action("share a version as provisional", WORKSHOP_ORGANISERS)
def share_provisional(client, world):
    workshop = workshop_of(world)
    client.post(reverse("matchmaking:schedule_share", args=[workshop.slug]),
                {"based_on": "1"})
    workshop.refresh_from_db()
    return workshop.provisional_version_id is not None


@action("read one's own delegation's provisional agenda", ITS_DELEGATION)
def provisional_agenda(client, world):
    workshop = provisional_workshop(world)
    response = client.get(reverse("matchmaking:agenda_delegation", args=[workshop.slug, "COL"]))
    return shown(response) and "Provisional version 1" in response.content.decode()


@action("read the whole provisional schedule of a workshop one takes part in", ITS_DELEGATION)
def provisional_schedule(client, world):
    workshop = provisional_workshop(world)
    response = client.get(reverse("matchmaking:schedule_shared", args=[workshop.slug]))
    return shown(response) and "JUNTOS" in response.content.decode()


@action("flag a problem on one's own delegation's provisional round", ITS_MEMBERS)
def flag_round(client, world):
    workshop = provisional_workshop(world)
    target = Round.objects.get(version=workshop.current_version, offer__key="per-juntos")
    client.post(reverse("matchmaking:round_flag", args=[workshop.slug, "COL"]),
                {"round_id": target.pk, "text": "We cannot make it"})
    return ScheduleFlag.objects.filter(round=target).exists()


@action("open the check-in page of a room one hosts", ROOM_HOSTS)
def open_checkin(client, world):
    workshop = hosted_workshop(world)
    response = client.get(reverse("matchmaking:checkin_room", args=[workshop.slug, "r1"]))
    return shown(response) and "Peru" in response.content.decode()


@action("send check-in marks for a room one hosts", ROOM_HOSTS)
def send_marks(client, world):
    workshop = hosted_workshop(world)
    target = Round.objects.get(version=workshop.published_version, offer__key="col-unidos")
    client.post(reverse("matchmaking:checkin_marks", args=[workshop.slug, "r1"]),
                json.dumps({"marks": [{"id": "matrix-mark-1", "round": target.pk,
                                       "delegation": "PER", "present": True,
                                       "at": timezone.now().isoformat()}]}),
                content_type="application/json")
    return CheckIn.objects.filter(client_id="matrix-mark-1").exists()


@action("read the attendance report", WORKSHOP_ORGANISERS)
def attendance(client, world):
    workshop = hosted_workshop(world)
    response = client.get(reverse("matchmaking:attendance_report", args=[workshop.slug]))
    return shown(response) and "Red UNIDOS" in response.content.decode()


ROWS = [open_check, share_provisional, provisional_agenda, provisional_schedule, flag_round,
        open_checkin, send_marks, attendance]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=str)
def test_permission_matrix(client, role, row):
    check(client, RoundsWorld(), role, row)
