"""An integer-indexed view of an instance: what the solvers work on.

Everything here is a consequence of FORMAT.md's rules, computed with the predicates of
`constraints`: a round of an offer is a *candidate* in a session only when the owner can be
there, a room can hold it and enough requesters can attend (rules 1, 4, 5); a request can be
met in a session only when its offer is a candidate there and the requester can be present.
Nothing that a feasible schedule could use is pruned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from . import constraints
from .model import Instance


@dataclass(frozen=True)
class RoomClass:
    """Rooms of one capacity available in one session: interchangeable for the optimiser."""

    session: int
    capacity: int
    count: int


class Compiled:
    def __init__(self, instance: Instance):
        self.instance = instance
        inst = instance
        self.session_ids = inst.session_ids
        self.delegation_ids = tuple(d.id for d in inst.delegations)
        self.offer_ids = tuple(o.id for o in inst.offers)
        self.session_index = {sid: i for i, sid in enumerate(self.session_ids)}
        self.delegation_index = {did: i for i, did in enumerate(self.delegation_ids)}
        self.offer_index = {oid: i for i, oid in enumerate(self.offer_ids)}
        self.min_attendees = inst.min_attendees
        S = len(self.session_ids)
        self.S = S

        self.delegates = [d.delegates for d in inst.delegations]
        self.max_attended = [d.max_attended for d in inst.delegations]
        self.present = [
            [constraints.can_be_present(inst, d.id, sid) for sid in self.session_ids]
            for d in inst.delegations
        ]
        self.may_attend_at_all = [
            d.max_attended is None or d.max_attended > 0 for d in inst.delegations
        ]
        self.owner = [self.delegation_index[o.owner] for o in inst.offers]
        self.max_repeats = [o.max_repeats for o in inst.offers]
        self.offers_of = [[] for _ in self.delegation_ids]
        for o, owner in enumerate(self.owner):
            self.offers_of[owner].append(o)

        self.req_delegation = [self.delegation_index[r.delegation] for r in inst.requests]
        self.req_offer = [self.offer_index[r.offer] for r in inst.requests]
        self.req_weight = [r.value for r in inst.requests]
        self.req_rank = [r.rank for r in inst.requests]
        self.request_index = {(r.delegation, r.offer): i for i, r in enumerate(inst.requests)}
        self.requests_of_offer = [[] for _ in self.offer_ids]
        self.requests_of_delegation = [[] for _ in self.delegation_ids]
        for r, (d, o) in enumerate(zip(self.req_delegation, self.req_offer, strict=True)):
            self.requests_of_offer[o].append(r)
            self.requests_of_delegation[d].append(r)

        # Pins: (offer, session) -> room id
        self.pinned_room: dict[tuple[int, int], str] = {}
        self.pinned_rooms_by_session: list[set[str]] = [set() for _ in range(S)]
        for offer_id, session_id, room_id in ((p.offer, p.session, p.room) for p in inst.pinned):
            key = (self.offer_index[offer_id], self.session_index[session_id])
            self.pinned_room.setdefault(key, room_id)
            self.pinned_rooms_by_session[key[1]].add(room_id)

        # Usable, unpinned rooms per session, grouped by capacity.
        smallest_useful = max(self.min_attendees, 1)
        self.free_rooms: list[list[str]] = []
        self.classes: list[list[RoomClass]] = []
        for s, sid in enumerate(self.session_ids):
            usable = [
                room for room in inst.rooms
                if constraints.room_available(inst, room.id, sid)
                and constraints.size_allowed(inst, room.capacity, smallest_useful)
                and room.id not in self.pinned_rooms_by_session[s]
            ]
            self.free_rooms.append([room.id for room in usable])
            counts: dict[int, int] = {}
            for room in usable:
                counts[room.capacity] = counts.get(room.capacity, 0) + 1
            self.classes.append(
                [RoomClass(s, capacity, counts[capacity]) for capacity in sorted(counts)]
            )

        # Candidate rounds (offer, session) and the requests that can meet them.
        self.os_pairs: list[tuple[int, int]] = []
        self.os_index: dict[tuple[int, int], int] = {}
        self.os_requests: list[list[int]] = []
        for o in range(len(self.offer_ids)):
            owner = self.owner[o]
            for s in range(S):
                pinned = (o, s) in self.pinned_room
                if not self.present[owner][s] and not pinned:
                    continue
                if not self.classes[s] and not pinned:
                    continue
                able = [
                    r for r in self.requests_of_offer[o]
                    if self.present[self.req_delegation[r]][s]
                    and self.may_attend_at_all[self.req_delegation[r]]
                ]
                if not pinned and (len(able) < self.min_attendees or not able):
                    continue
                if not self.present[owner][s]:
                    able = []  # a pin with an absent owner: infeasible, reported by solve
                self.os_index[(o, s)] = len(self.os_pairs)
                self.os_pairs.append((o, s))
                self.os_requests.append(able)

        # Meetable (request, session) pairs.
        self.rs_pairs: list[tuple[int, int]] = []
        self.rs_os: list[int] = []
        for k, (_o, s) in enumerate(self.os_pairs):
            for r in self.os_requests[k]:
                self.rs_pairs.append((r, s))
                self.rs_os.append(k)

    @cached_property
    def requested_weight(self) -> list[float]:
        return [math.fsum(self.req_weight[r] for r in rs) for rs in self.requests_of_delegation]

    @cached_property
    def servable(self) -> list[int]:
        """Delegations with a request that some round could meet (FORMAT.md's fair objective
        counts only these: a delegation nobody can serve would pin the minimum at zero)."""
        return [
            d for d, rs in enumerate(self.requests_of_delegation)
            if any(self.rs_of_request[r] for r in rs) and self.requested_weight[d] > 0
        ]

    def round_targets(self, min_rounds: int) -> dict[int, int]:
        """{delegation: rounds it must attend to count as reaching `min_rounds`}: the
        minimum, or fewer when the delegation has fewer requests some round could meet,
        fewer seats over the sessions it can attend, or a smaller max_attended. Delegations
        with nothing meetable have no target (they cannot be served at all)."""
        targets: dict[int, int] = {}
        if min_rounds <= 0:
            return targets
        for d, requests in enumerate(self.requests_of_delegation):
            meetable = sum(1 for r in requests if self.rs_of_request[r])
            seats = sum(self.delegates[d] for s in range(self.S) if self.present[d][s])
            target = min(min_rounds, meetable, seats)
            if self.max_attended[d] is not None:
                target = min(target, self.max_attended[d])
            if target > 0:
                targets[d] = target
        return targets

    @cached_property
    def os_of_offer(self) -> list[list[int]]:
        grouped: list[list[int]] = [[] for _ in self.offer_ids]
        for k, (o, _s) in enumerate(self.os_pairs):
            grouped[o].append(k)
        return grouped

    @cached_property
    def rs_of_request(self) -> list[list[int]]:
        grouped: list[list[int]] = [[] for _ in self.req_offer]
        for j, (r, _s) in enumerate(self.rs_pairs):
            grouped[r].append(j)
        return grouped

    @cached_property
    def rs_of_os(self) -> list[list[int]]:
        grouped: list[list[int]] = [[] for _ in self.os_pairs]
        for j, k in enumerate(self.rs_os):
            grouped[k].append(j)
        return grouped

    @cached_property
    def os_of_session(self) -> list[list[int]]:
        grouped: list[list[int]] = [[] for _ in range(self.S)]
        for k, (_o, s) in enumerate(self.os_pairs):
            grouped[s].append(k)
        return grouped

    def candidates_touching(self, offers, sessions) -> list[int]:
        chosen = {k for s in sessions for k in self.os_of_session[s]}
        chosen.update(k for o in offers for k in self.os_of_offer[o])
        return sorted(chosen)

    def thresholds(self, k: int) -> int:
        """How many capacity steps above the smallest room class round k can use.

        A round whose possible attendees fit in class t never needs a bigger one, so its
        steps stop there; any room of class >= its step can host it, which is what the room
        rows count (Hall's condition for nested room sets)."""
        o, s = self.os_pairs[k]
        if (o, s) in self.pinned_room or not self.classes[s]:
            return 0
        possible = len(self.os_requests[k])
        steps = 0
        for index, room_class in enumerate(self.classes[s]):
            steps = index
            if room_class.capacity >= possible:
                break
        return steps

    def capacity_of_pinned(self, k: int) -> int:
        o, s = self.os_pairs[k]
        return self.instance.room_by_id[self.pinned_room[(o, s)]].capacity
