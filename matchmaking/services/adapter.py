"""The one adapter between the database and the optimiser.

`instance_for` turns a workshop's rows into an `optimizer.Instance`; `save_version` turns an
optimiser schedule (or edited rounds) back into rows; `rounds_of` reads a stored version as
the optimiser's `Round`s. Nothing else in the portal builds optimiser objects, and no Django
model crosses into `matchmaking.optimizer`.
"""

from django.db import transaction
from django.db.models import Max, Prefetch

from matchmaking import optimizer
from matchmaking.models import (
    Delegation,
    Offer,
    Room,
    Round,
    ScheduleVersion,
    Session,
    Workshop,
)
from matchmaking.services.consent import schedulable_requests


def instance_for(workshop, *, pinned_rounds=()):
    """The workshop as the optimiser sees it. `pinned_rounds` are `Round` rows to keep fixed.

    Entries keep the order in which they were entered or imported, so that an exported
    workshop reads like the document it came from and the optimiser's tie-breaks are stable.

    Only the requests `consent.schedulable_requests` lets through are included.

    Raises optimizer.InvalidInstance when the rows break the format's rules (for example a
    delegation requesting its own offer), naming the entry.
    """
    sessions = list(Session.objects.filter(workshop=workshop).order_by("starts_at", "key"))
    rooms = list(Room.objects.filter(workshop=workshop).prefetch_related("sessions").order_by("pk"))
    delegations = list(
        Delegation.objects.filter(workshop=workshop).prefetch_related("unavailable_sessions")
        .order_by("pk")
    )
    offers = list(
        Offer.objects.filter(workshop=workshop).select_related("delegation").order_by("pk"))
    # Declined requests, unanswered ones when answers are needed, and pairs kept apart in
    # bilateral mode never reach the optimiser (services.consent).
    requests = schedulable_requests(workshop)
    return optimizer.Instance(
        name=workshop.name,
        min_attendees=1 if workshop.bilateral else workshop.min_attendees,
        sessions=tuple(optimizer.Session(s.key, s.label) for s in sessions),
        rooms=tuple(
            optimizer.Room(
                r.key,
                capacity=1 if workshop.bilateral else r.capacity,
                sessions=tuple(s.key for s in r.sessions.all()) or None,
            )
            for r in rooms
        ),
        delegations=tuple(
            optimizer.Delegation(
                d.key,
                d.name,
                delegates=d.delegates,
                unavailable=frozenset(s.key for s in d.unavailable_sessions.all()),
                max_attended=d.max_attended,
            )
            for d in delegations
        ),
        offers=tuple(
            optimizer.Offer(o.key, owner=o.delegation.key, title=o.title,
                            topics=tuple(o.topics), max_repeats=o.max_repeats)
            for o in offers
        ),
        requests=tuple(
            optimizer.Request(r.delegation.key, r.offer.key, rank=r.rank, weight=r.weight)
            for r in requests
        ),
        pinned=tuple(
            optimizer.Pin(r.offer.key, r.session.key, r.room.key) for r in pinned_rounds
        ),
    )


def rounds_queryset(version):
    return (
        Round.objects.filter(version=version)
        .select_related("offer__delegation", "session", "room")
        .prefetch_related(Prefetch("attendees", queryset=Delegation.objects.order_by("key")))
    )


def rounds_of(version):
    """A stored version's rounds as the optimiser's `Round`s (attendees sorted by key)."""
    return tuple(
        optimizer.Round(r.offer.key, r.session.key, r.room.key,
                        tuple(d.key for d in r.attendees.all()))
        for r in rounds_queryset(version)
    )


def report_for(instance, rounds, schedule=None):
    """What the portal shows beside a version: FORMAT.md's optional fields, recomputed."""
    rounds = tuple(rounds)
    shares = optimizer.shares(instance, rounds)
    report = {
        "delegations": {
            key: {"requested_weight": share.requested_weight, "met_weight": share.met_weight,
                  "share": share.share}
            for key, share in shares.items()
        },
        "unmet": [
            {"delegation": u.delegation, "offer": u.offer, "reason": u.reason}
            for u in optimizer.explain.unmet(instance, rounds)
        ],
    }
    if schedule is not None:
        document = optimizer.schedule_to_dict(schedule)
        for field in ("changes", "status", "worst_share", "worst_share_bound", "min_rounds",
                      "min_rounds_reached", "min_rounds_reached_bound"):
            if document.get(field) is not None:
                report[field] = document[field]
    return report


@transaction.atomic
def save_version(workshop, rounds, *, source, instance, schedule=None, parent=None,
                 created_by=None, note="", pinned_keys=frozenset()):
    """Store `rounds` (optimiser `Round`s) as the workshop's next schedule version.

    The score is recomputed from the rounds; bound and optimality come from `schedule` when
    the optimiser produced it. `pinned_keys` holds (offer, session, room) triples to mark.
    """
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    rounds = tuple(rounds)
    number = (workshop.schedule_versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = ScheduleVersion.objects.create(
        workshop=workshop,
        number=number,
        parent=parent,
        source=source,
        note=note,
        created_by=created_by,
        objective=schedule.objective if schedule is not None else "",
        score=optimizer.score(instance, rounds),
        upper_bound=schedule.upper_bound if schedule is not None else None,
        proven_optimal=bool(schedule is not None and schedule.proven_optimal),
        report=report_for(instance, rounds, schedule),
    )
    offers = {o.key: o for o in Offer.objects.filter(workshop=workshop)}
    sessions = {s.key: s for s in Session.objects.filter(workshop=workshop)}
    rooms = {r.key: r for r in Room.objects.filter(workshop=workshop)}
    delegations = {d.key: d for d in Delegation.objects.filter(workshop=workshop)}
    created = Round.objects.bulk_create(
        Round(version=version, offer=offers[r.offer], session=sessions[r.session],
              room=rooms[r.room], pinned=(r.offer, r.session, r.room) in pinned_keys)
        for r in rounds
    )
    Attendance = Round.attendees.through
    Attendance.objects.bulk_create(
        Attendance(round_id=row.pk, delegation_id=delegations[key].pk)
        for row, source_round in zip(created, rounds, strict=True)
        for key in source_round.attendees
    )
    return version

