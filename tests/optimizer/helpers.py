"""Tiny hand-built workshops for the optimiser tests."""

from __future__ import annotations

from matchmaking.optimizer import (
    Delegation,
    Instance,
    Offer,
    Pin,
    Request,
    Room,
    Session,
    solve,
)


def workshop(
    *,
    sessions=("s1",),
    rooms=(("r1", 4),),
    delegations=("A", "B", "C"),
    offers=(("a", "A"),),
    requests=(("B", "a", 1), ("C", "a", 1)),
    pinned=(),
    min_attendees=2,
) -> Instance:
    """Entries may be given as dataclasses or as short tuples:
    rooms (id, capacity[, sessions]); delegations id; offers (id, owner[, max_repeats]);
    requests (delegation, offer, rank[, weight]); pinned (offer, session, room)."""

    def as_room(entry):
        return entry if isinstance(entry, Room) else Room(*entry)

    def as_delegation(entry):
        return entry if isinstance(entry, Delegation) else Delegation(entry)

    def as_offer(entry):
        return entry if isinstance(entry, Offer) else Offer(
            entry[0], entry[1], max_repeats=entry[2] if len(entry) > 2 else 1)

    def as_request(entry):
        return entry if isinstance(entry, Request) else Request(*entry)

    def as_pin(entry):
        return entry if isinstance(entry, Pin) else Pin(*entry)

    return Instance(
        sessions=tuple(Session(s) if isinstance(s, str) else s for s in sessions),
        rooms=tuple(as_room(r) for r in rooms),
        delegations=tuple(as_delegation(d) for d in delegations),
        offers=tuple(as_offer(o) for o in offers),
        requests=tuple(as_request(r) for r in requests),
        pinned=tuple(as_pin(p) for p in pinned),
        min_attendees=min_attendees,
    )


def quick(instance: Instance, **options):
    options.setdefault("time_limit", 30)
    return solve(instance, **options)


def rounds_of(schedule) -> set[tuple]:
    return {(r.offer, r.session, r.room, r.attendees) for r in schedule.rounds}
