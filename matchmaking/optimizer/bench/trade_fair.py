"""A large trade fair with a ready schedule, for measuring the schedule editor, not the solver.

300 rooms x 8 sessions holding 2,000 rounds is the size of a big B2B fair. Solving such an
instance is the optimiser benchmark's business; the editor benchmark needs a workshop that
already has a schedule of that size, valid under every rule (the editor refuses to save one
that is not), and the same one on every run. So the rounds are laid out directly: round n goes
to session n mod S of room n div S, its presenter and attendees drawn from the delegations
with a delegate still free in that session, and every attendee requested what it attends.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from ..model import Delegation, Instance, Offer, Request, Room, Round, Session

DEFAULT_TOPICS = (
    "food-security", "poverty-measurement", "cash-transfers", "early-childhood",
    "employment", "housing", "health", "education", "social-information-systems",
    "disability", "older-persons", "indigenous-peoples",
)


@dataclass(frozen=True)
class TradeFairShape:
    rooms: int = 300
    sessions: int = 8
    rounds: int = 2000
    delegations: int = 600
    topics: tuple[str, ...] = DEFAULT_TOPICS
    # Each delegation also ranks this many offers it does not get, so that the editor has
    # candidates to add and the report has unmet requests to explain.
    unmet_requests_per_delegation: int = 1


@dataclass(frozen=True)
class TradeFair:
    instance: Instance
    rounds: tuple[Round, ...]


def trade_fair(shape: TradeFairShape = TradeFairShape(), seed: int = 0) -> TradeFair:
    if shape.rounds > shape.rooms * shape.sessions:
        raise ValueError(f"{shape.rounds} rounds do not fit in {shape.rooms} rooms x "
                         f"{shape.sessions} sessions")
    if not shape.topics:
        raise ValueError("a trade fair needs at least one topic")
    rng = random.Random(f"trade-fair/{seed}/{shape}")
    sessions = tuple(Session(f"s{n + 1}", f"Session {n + 1}") for n in range(shape.sessions))
    rooms = tuple(Room(f"r{n + 1:03d}", capacity=rng.choice((6, 8, 10, 12)))
                  for n in range(shape.rooms))
    delegations = tuple(
        Delegation(f"d{n + 1:04d}", f"Delegation {n + 1}", delegates=rng.choice((3, 4, 5)))
        for n in range(shape.delegations))

    # Per session, one pool entry per free delegate; drawing removes it.
    free = {session.id: [d.id for d in delegations for _seat in range(d.delegates)]
            for session in sessions}
    for pool in free.values():
        rng.shuffle(pool)

    offers, rounds, attended = [], [], defaultdict(list)
    for number in range(shape.rounds):
        session = sessions[number % shape.sessions].id
        room = rooms[number // shape.sessions]
        owner = free[session].pop()
        attendees = _draw_distinct(free[session], rng.randint(2, 4), exclude={owner})
        offer_id = f"o{number + 1:04d}"
        topics = tuple(sorted(rng.sample(shape.topics, k=min(len(shape.topics),
                                                              rng.choice((1, 1, 2))))))
        offers.append(Offer(offer_id, owner=owner, title=f"Program {number + 1}: "
                            f"{topics[0].replace('-', ' ')}", topics=topics))
        rounds.append(Round(offer_id, session, room.id, tuple(sorted(attendees))))
        for delegation_id in attendees:
            attended[delegation_id].append(offer_id)

    owned = {offer.id: offer.owner for offer in offers}
    requests = []
    for delegation in delegations:
        wished = list(attended[delegation.id])
        candidates = [o.id for o in offers if o.owner != delegation.id and o.id not in wished]
        wished += rng.sample(candidates, shape.unmet_requests_per_delegation)
        requests += [Request(delegation.id, offer_id, rank=rank)
                     for rank, offer_id in enumerate(wished, start=1)
                     if owned[offer_id] != delegation.id]

    instance = Instance(sessions=sessions, rooms=rooms, delegations=delegations,
                        offers=tuple(offers), requests=tuple(requests), min_attendees=2,
                        name=f"Trade fair: {shape.rooms} rooms x {shape.sessions} sessions")
    return TradeFair(instance, tuple(rounds))


def _draw_distinct(pool: list[str], count: int, exclude: set[str]) -> list[str]:
    """Pop `count` distinct delegations from the end of the shuffled pool, skipping `exclude`;
    entries skipped go back to the pool."""
    drawn, skipped = [], []
    while pool and len(drawn) < count:
        candidate = pool.pop()
        if candidate in exclude or candidate in drawn:
            skipped.append(candidate)
        else:
            drawn.append(candidate)
    pool.extend(skipped)
    return drawn
