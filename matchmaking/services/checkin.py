"""Check-in on the day: the hosts of each room mark which delegations came to its rounds.

Marks come from the host's phone, often over a poor connection: the page queues them in the
browser and sends them, maybe more than once, when the connection returns. Each mark carries
an id made by the browser; a mark whose id is already stored is acknowledged and ignored,
so a replay never counts twice. The latest mark (by the time it was made on the phone) per
round and delegation is what counts. Marks belong to the rounds of the published version.

Figures: a delegation expected at a round (an attendee) "came" when its latest mark says so;
once any delegation of a round is marked, every attendee not marked as come is a no-show;
rounds with no mark at all are "not checked in".
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from matchmaking.models import CheckIn, Room
from matchmaking.services.adapter import rounds_queryset
from matchmaking.services.schedule_access import is_organiser

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MOST_MARKS_PER_BATCH = 500
# A phone's clock may run ahead; a mark made "later than now" by more than this is refused.
CLOCK_TOLERANCE = timedelta(minutes=10)


class CheckInRefused(Exception):
    """The whole request refused (not a host, nothing published); the message says why."""


def may_host(user, room):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return is_organiser(user, room.workshop) or room.hosts.filter(pk=user.pk).exists()


def hosted_rooms(user, workshop):
    rooms = Room.objects.filter(workshop=workshop).order_by("key")
    if is_organiser(user, workshop):
        return rooms
    if user is None or not user.is_authenticated:
        return rooms.none()
    return rooms.filter(hosts=user)


def latest_marks(rounds):
    """{(round id, delegation id): CheckIn} holding the latest mark of each pair."""
    latest = {}
    for mark in CheckIn.objects.filter(round__in=rounds).order_by("marked_at", "pk"):
        latest[(mark.round_id, mark.delegation_id)] = mark
    return latest


@dataclass
class RoundCheckIn:
    round: object
    attendees: list  # [(delegation, came: bool)]
    checked: bool


def room_rounds(workshop, room):
    """The published version's rounds in `room`, in time order, with who is marked as come."""
    version = workshop.published_version
    if version is None:
        return []
    rows = list(rounds_queryset(version).filter(room=room))
    latest = latest_marks(rows)
    return [
        RoundCheckIn(
            row,
            [(d, bool(latest.get((row.pk, d.pk)) and latest[(row.pk, d.pk)].present))
             for d in row.attendees.order_by("name")],
            any(key[0] == row.pk for key in latest))
        for row in rows
    ]


@dataclass
class MarkResult:
    accepted: list = field(default_factory=list)  # client ids stored now
    duplicates: list = field(default_factory=list)  # client ids stored before
    refused: list = field(default_factory=list)  # [{"id": ..., "error": ...}]

    def as_dict(self):
        return {"accepted": self.accepted, "duplicates": self.duplicates,
                "refused": self.refused}


def record_marks(room, user, marks):
    """Store the check-in marks sent for `room`: each a dict with `id` (the browser's mark
    id), `round` (Round id), `delegation` (key), `present` (bool) and `at` (ISO time it was
    made). Marks already stored are acknowledged as duplicates; a mark that cannot be
    stored is refused with its reason, and the others are stored."""
    workshop = room.workshop
    if not may_host(user, room):
        raise CheckInRefused(_("Only the organisers and the hosts of %(room)s can check "
                               "delegations in there.") % {"room": room.name})
    if workshop.published_version_id is None:
        raise CheckInRefused(_("The schedule is not published yet; there is nothing to check "
                               "in."))
    if not isinstance(marks, list):
        raise CheckInRefused(_("Send the marks as a list."))
    if len(marks) > MOST_MARKS_PER_BATCH:
        raise CheckInRefused(_("Send at most %(count)s marks at once.")
                             % {"count": MOST_MARKS_PER_BATCH})
    rounds = {row.pk: row for row in rounds_queryset(workshop.published_version).filter(
        room=room)}
    result = MarkResult()
    with transaction.atomic():
        for mark in marks:
            client_id = mark.get("id") if isinstance(mark, dict) else None
            try:
                values = _parsed(mark, rounds)
            except ValueError as error:
                result.refused.append({"id": client_id if isinstance(client_id, str) else "",
                                       "error": str(error)})
                continue
            if CheckIn.objects.filter(client_id=values["client_id"]).exists():
                result.duplicates.append(values["client_id"])
                continue
            try:
                with transaction.atomic():  # a savepoint: a concurrent replay may win
                    CheckIn.objects.create(marked_by=user, **values)
            except IntegrityError:
                result.duplicates.append(values["client_id"])
            else:
                result.accepted.append(values["client_id"])
    return result


def _parsed(mark, rounds):
    if not isinstance(mark, dict):
        raise ValueError(_("A mark must be an object."))
    client_id = mark.get("id")
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise ValueError(_("A mark needs an id of 8 to 64 letters, digits, - or _."))
    try:
        row = rounds[int(mark.get("round"))]
    except (KeyError, TypeError, ValueError):
        raise ValueError(_("The round is not one of this room's rounds in the published "
                           "schedule.")) from None
    delegation = next((d for d in row.attendees.all() if d.key == mark.get("delegation")), None)
    if delegation is None:
        raise ValueError(_("%(delegation)s is not expected at “%(offer)s”.") % {
            "delegation": mark.get("delegation"), "offer": row.offer.title})
    if not isinstance(mark.get("present"), bool):
        raise ValueError(_("Say whether the delegation came (true or false)."))
    moment = parse_datetime(mark["at"]) if isinstance(mark.get("at"), str) else None
    if moment is None:
        raise ValueError(_("The time of the mark is missing or not an ISO date and time."))
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    if moment > timezone.now() + CLOCK_TOLERANCE:
        raise ValueError(_("The mark is dated in the future; check the phone's clock."))
    return {"client_id": client_id, "round": row, "delegation": delegation,
            "present": mark["present"], "marked_at": moment}


@dataclass
class RoundFigures:
    round: object
    expected: int
    came: int
    no_shows: int
    checked: bool


@dataclass
class DelegationFigures:
    delegation: object
    expected: int = 0
    came: int = 0
    no_shows: int = 0
    not_checked: int = 0


def attendance_report(workshop):
    """(per round, per delegation) figures for the published version, or ([], [])."""
    version = workshop.published_version
    if version is None:
        return [], []
    rows = list(rounds_queryset(version))
    latest = latest_marks(rows)
    checked = {round_id for round_id, _delegation in latest}
    per_round, per_delegation = [], {}
    for row in rows:
        attendees = list(row.attendees.all())
        came = [d for d in attendees
                if (row.pk, d.pk) in latest and latest[(row.pk, d.pk)].present]
        is_checked = row.pk in checked
        per_round.append(RoundFigures(
            row, len(attendees), len(came),
            len(attendees) - len(came) if is_checked else 0, is_checked))
        for delegation in attendees:
            figures = per_delegation.setdefault(delegation.pk, DelegationFigures(delegation))
            figures.expected += 1
            if delegation in came:
                figures.came += 1
            elif is_checked:
                figures.no_shows += 1
            else:
                figures.not_checked += 1
    return per_round, sorted(per_delegation.values(), key=lambda f: f.delegation.name)
