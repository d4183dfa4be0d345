"""Synthetic workshops with the structure seen at real ones, deterministic by seed.

What the Santa Marta 2012 report shows and the generator imitates: a few topics (food security,
poverty measurement) draw most of the demand while most topics draw little; delegations bring
one to five delegates; a few countries own many of the programmes on offer; some delegations
miss a session, some rooms are not free all day; each delegation ranks a handful of wishes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..model import Delegation, Instance, Offer, Request, Room, Session

DELEGATE_COUNTS = (1, 2, 3, 4, 5)
DELEGATE_COUNT_WEIGHTS = (0.30, 0.30, 0.20, 0.12, 0.08)
ROOM_CAPACITIES = (4, 6, 8, 10, 12)
ROOM_CAPACITY_WEIGHTS = (0.15, 0.30, 0.30, 0.15, 0.10)


@dataclass(frozen=True)
class Shape:
    delegations: int
    offers: int
    sessions: int
    rooms: int
    # Wishes per delegate: a delegation of three ranks about three times as many programmes
    # as a delegation of one (Santa Marta: about one wish per delegate over four sessions).
    requests_per_delegate: float = 2.0
    bilateral: bool = False
    topics: int | None = None  # None: one topic per four offers, at least eight
    zipf_exponent: float = 1.1
    unavailable_share: float = 0.12  # delegations that miss at least one session
    room_gap_share: float = 0.10  # rooms closed in one session


def _zipf_weights(count: int, exponent: float) -> list[float]:
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


def _weighted_sample_without_replacement(
    rng: random.Random, items: list, weights: list[float], count: int
) -> list:
    # Efraimidis–Spirakis keys: one pass, exact, and deterministic for a seeded rng.
    keyed = [
        (rng.random() ** (1.0 / weight), index)
        for index, weight in enumerate(weights)
        if weight > 0
    ]
    keyed.sort(reverse=True)
    return [items[index] for _, index in keyed[:count]]


def generate(shape: Shape, seed: int = 0, name: str | None = None) -> Instance:
    rng = random.Random(f"negotiation-rounds/{seed}/{shape}")
    session_ids = [f"s{number + 1}" for number in range(shape.sessions)]
    sessions = tuple(Session(id=sid, label=f"Session {n + 1}") for n, sid in enumerate(session_ids))

    rooms = []
    for number in range(shape.rooms):
        capacity = (
            1 if shape.bilateral else rng.choices(ROOM_CAPACITIES, ROOM_CAPACITY_WEIGHTS)[0]
        )
        available = None
        if shape.sessions > 1 and rng.random() < shape.room_gap_share:
            closed = rng.choice(session_ids)
            available = tuple(sid for sid in session_ids if sid != closed)
        rooms.append(Room(id=f"{'t' if shape.bilateral else 'r'}{number + 1}", capacity=capacity,
                          sessions=available))

    delegations = []
    for number in range(shape.delegations):
        delegates = rng.choices(DELEGATE_COUNTS, DELEGATE_COUNT_WEIGHTS)[0]
        unavailable: frozenset[str] = frozenset()
        if shape.sessions > 1 and rng.random() < shape.unavailable_share:
            missed = 2 if shape.sessions > 3 and rng.random() < 0.25 else 1
            unavailable = frozenset(rng.sample(session_ids, missed))
        delegations.append(
            Delegation(id=f"D{number + 1:03d}", name=f"Delegation {number + 1}",
                       delegates=delegates, unavailable=unavailable)
        )

    topic_count = shape.topics or max(8, shape.offers // 4)
    topic_popularity = _zipf_weights(topic_count, shape.zipf_exponent)
    topics = [f"topic-{number + 1}" for number in range(topic_count)]

    # A few delegations own many offers: owners are drawn with Zipf weights over a shuffled
    # order, so the biggest suppliers are not simply the first delegations.
    supplier_order = list(range(shape.delegations))
    rng.shuffle(supplier_order)
    supplier_weights = [0.0] * shape.delegations
    for rank, index in enumerate(supplier_order, start=1):
        supplier_weights[index] = 1 / rank**0.9

    offers = []
    appeal = []
    for number in range(shape.offers):
        owner = delegations[rng.choices(range(shape.delegations), supplier_weights)[0]]
        topic_count_of_offer = rng.choices((1, 2, 3), (0.6, 0.3, 0.1))[0]
        offer_topics = _weighted_sample_without_replacement(
            rng, topics, topic_popularity, topic_count_of_offer
        )
        if shape.bilateral:
            # A bilateral offer repeats as often as its owner can meet partners: once a session.
            max_repeats = shape.sessions
        else:
            max_repeats = rng.choices((1, 2, 3), (0.75, 0.2, 0.05))[0]
        offers.append(
            Offer(id=f"o{number + 1:04d}", owner=owner.id, title=f"Programme {number + 1}",
                  topics=tuple(offer_topics), max_repeats=min(max_repeats, shape.sessions))
        )
        primary = topics.index(offer_topics[0])
        appeal.append(topic_popularity[primary] * rng.lognormvariate(0.0, 0.5))

    requests = []
    for delegation in delegations:
        wanted = max(1, round(rng.gauss(shape.requests_per_delegate * delegation.delegates, 1.0)))
        candidates = [offer for offer in offers if offer.owner != delegation.id]
        weights = [
            appeal[index] for index, offer in enumerate(offers) if offer.owner != delegation.id
        ]
        chosen = _weighted_sample_without_replacement(rng, candidates, weights, wanted)
        for rank, offer in enumerate(chosen, start=1):
            requests.append(Request(delegation=delegation.id, offer=offer.id, rank=rank))

    return Instance(
        name=name or f"generated {shape.delegations}x{shape.offers}x{shape.sessions}x"
        f"{shape.rooms} seed {seed}",
        min_attendees=1 if shape.bilateral else 2,
        sessions=sessions,
        rooms=tuple(rooms),
        delegations=tuple(delegations),
        offers=tuple(offers),
        requests=tuple(requests),
    )
