"""Why a request is not met: one FORMAT.md reason code, decided by the rule predicates.

The questions are asked in a fixed order and the first that applies is the reason:

1. `owner_unavailable` (rule 5): no session where both the owner can present and the
   requester can attend.
2. `too_few_requesters` (rules 4 and 5): in none of those sessions can min_attendees of the
   offer's requesters be present.
3. Would the requester fit in one more room (rule 5, per session and max_attended)? If in
   none of the sessions left: `clash_with_higher_rank` when everything it does there is
   presenting or attending requests it ranked higher, otherwise `no_delegates_left`.
4. `no_room` (rules 1 and 4): in every session where the requester is free, the offer does
   not run and its owner could present it, every usable room holds a round worth at least
   what this offer's round could have been worth in that room.
5. `not_chosen`: none of the above; the optimiser traded the request for more value.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from . import constraints
from .model import Instance, Request, Round, Unmet

REASONS = (
    "owner_unavailable",
    "too_few_requesters",
    "no_room",
    "clash_with_higher_rank",
    "no_delegates_left",
    "not_chosen",
)


class _Context:
    def __init__(self, instance: Instance, rounds: Sequence[Round]):
        self.instance = instance
        self.rounds = rounds
        self.presence = constraints.presence(instance, rounds)
        self.attended = constraints.attendance_count(rounds)
        self.met = constraints.met_requests(instance, rounds)
        self.round_of: dict[tuple[str, str], Round] = {
            (r.offer, r.session): r for r in rounds
        }
        self.repeats = defaultdict(int)
        self.rooms_taken: dict[str, dict[str, Round]] = defaultdict(dict)
        for round_ in rounds:
            self.repeats[round_.offer] += 1
            self.rooms_taken[round_.session][round_.room] = round_
        self._unmet_weights: dict[tuple[str, str], list[float]] = {}
        self._gatherable: dict[tuple[str, str], bool] = {}
        self._round_values: dict[tuple[str, str], float] = {}

    def value(self, round_: Round) -> float:
        key = (round_.offer, round_.session)
        if key not in self._round_values:
            pairs = self.instance.request_by_pair
            self._round_values[key] = math.fsum(
                pairs[(d, round_.offer)].value for d in round_.attendees
                if (d, round_.offer) in pairs
            )
        return self._round_values[key]

    def possible_value(self, offer_id: str, session_id: str, capacity: int) -> float:
        """What a round of the offer could be worth in a room of this size: its heaviest
        unmet requests from delegations that can be present."""
        # Asked for every unmet request of the offer and every room: memoised, since
        # explanations are written within the solver's time limit.
        key = (offer_id, session_id)
        weights = self._unmet_weights.get(key)
        if weights is None:
            weights = sorted(
                (
                    request.value for request in self.instance.requests_by_offer[offer_id]
                    if (request.delegation, offer_id) not in self.met
                    and constraints.can_be_present(self.instance, request.delegation,
                                                   session_id)
                ),
                reverse=True,
            )
            self._unmet_weights[key] = weights
        return math.fsum(weights[:capacity])

    def could_gather(self, offer_id: str, session_id: str) -> bool:
        """Can min_attendees of the offer's requesters be present in the session?"""
        key = (offer_id, session_id)
        if key not in self._gatherable:
            inst = self.instance
            able = sum(
                1 for other in inst.requests_by_offer[offer_id]
                if constraints.can_be_present(inst, other.delegation, session_id)
                and constraints.within_attendance_limit(inst, other.delegation, 1)
            )
            self._gatherable[key] = able >= max(inst.min_attendees, 1)
        return self._gatherable[key]


def reason(instance: Instance, rounds: Sequence[Round], request: Request,
           context: _Context | None = None) -> str:
    ctx = context or _Context(instance, rounds)
    inst = instance
    delegation_id, offer_id = request.delegation, request.offer
    owner = inst.offer_by_id[offer_id].owner

    both = [s for s in inst.session_ids
            if constraints.can_be_present(inst, delegation_id, s)
            and constraints.can_be_present(inst, owner, s)]
    if not both:
        return "owner_unavailable"

    attendable = [s for s in both if ctx.could_gather(offer_id, s)]
    if not attendable:
        return "too_few_requesters"

    rank_of = {r.offer: r.rank for r in inst.requests_by_delegation[delegation_id]}

    def busy_only_with_higher(offers_busy: list[str]) -> bool:
        for busy_offer in offers_busy:
            if inst.offer_by_id[busy_offer].owner == delegation_id:
                continue  # presenting
            if rank_of.get(busy_offer, math.inf) >= request.rank:
                return False
        return bool(offers_busy)

    attended = ctx.attended.get(delegation_id, 0)
    if not constraints.within_attendance_limit(inst, delegation_id, attended + 1):
        attended_offers = [r.offer for r in rounds if delegation_id in r.attendees]
        return ("clash_with_higher_rank" if busy_only_with_higher(attended_offers)
                else "no_delegates_left")

    free = [
        s for s in attendable
        if constraints.fits(inst, delegation_id, s,
                            len(ctx.presence.get((delegation_id, s), [])) + 1)
    ]
    if not free:
        blockers = [o for s in attendable for o in ctx.presence.get((delegation_id, s), [])]
        return "clash_with_higher_rank" if busy_only_with_higher(blockers) else (
            "no_delegates_left"
        )

    offer = inst.offer_by_id[offer_id]
    open_sessions = []
    for s in free:
        if (offer_id, s) in ctx.round_of:
            return "not_chosen"  # the round is there and the requester is free
        owner_free = constraints.fits(inst, owner, s,
                                      len(ctx.presence.get((owner, s), [])) + 1)
        if owner_free and ctx.repeats[offer_id] < offer.max_repeats:
            open_sessions.append(s)
    if not open_sessions:
        return "not_chosen"

    smallest = max(inst.min_attendees, 1)
    for s in open_sessions:
        for room in inst.rooms:
            if not constraints.room_available(inst, room.id, s) or room.capacity < smallest:
                continue
            holder = ctx.rooms_taken[s].get(room.id)
            if holder is None:
                return "not_chosen"
            if ctx.value(holder) < ctx.possible_value(offer_id, s, room.capacity) - 1e-9:
                return "not_chosen"
    return "no_room"


def unmet(instance: Instance, rounds: Sequence[Round]) -> tuple[Unmet, ...]:
    """One entry per request not met, in the instance's request order."""
    ctx = _Context(instance, rounds)
    return tuple(
        Unmet(request.delegation, request.offer, reason(instance, rounds, request, ctx))
        for request in instance.requests
        if (request.delegation, request.offer) not in ctx.met
    )
