"""Greedy construction and ruin-and-recreate search on the compiled instance.

Fast and deterministic for a given seed and iteration budget, but it proves nothing; `solve`
uses it as the starting point of the exact search and as the fallback when time runs out.
The state always satisfies FORMAT.md's rules (the same conditions as `constraints`, checked
on integer indices for speed); `solve` re-validates the final schedule with `constraints`.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable

from .compiled import Compiled


class State:
    """A feasible partial schedule: open rounds with rooms and attendees."""

    def __init__(self, compiled: Compiled):
        c = compiled
        self.c = c
        S = c.S
        self.load = [[0] * S for _ in c.delegation_ids]
        self.attended = [0] * len(c.delegation_ids)
        self.met_in: list[int | None] = [None] * len(c.req_offer)  # request -> round k
        self.repeats = [0] * len(c.offer_ids)
        self.room_of: dict[int, str] = {}  # open round k -> room id
        self.attendees: dict[int, list[int]] = {}  # open round k -> requests met there
        # free rooms per session as sorted (capacity, room id) lists
        capacity = {room.id: room.capacity for room in c.instance.rooms}
        self.room_capacity = capacity
        self.free: list[list[tuple[int, str]]] = [
            sorted((capacity[room_id], room_id) for room_id in c.free_rooms[s]) for s in range(S)
        ]
        self.value = 0.0
        self.met_weight = [0.0] * len(c.delegation_ids)
        # The fair objective's construction favours the delegations served least so far.
        self.favour_worst_off = False

    def worth(self, r: int) -> float:
        """What the greedy choices count for request r: its weight, or for the fair objective
        the share it adds, boosted for delegations with little so far (the boost only falls
        as a delegation is served, so greedy values still only fall)."""
        c = self.c
        if not self.favour_worst_off:
            return c.req_weight[r]
        d = c.req_delegation[r]
        requested = c.requested_weight[d]
        if requested <= 0:
            return 0.0
        return c.req_weight[r] / requested / (self.met_weight[d] / requested + 0.05)

    # -- queries ----------------------------------------------------------------------

    def delegation_free(self, d: int, s: int) -> bool:
        c = self.c
        return c.present[d][s] and self.load[d][s] < c.delegates[d]

    def can_attend(self, r: int, s: int) -> bool:
        c = self.c
        d = c.req_delegation[r]
        if self.met_in[r] is not None or not self.delegation_free(d, s):
            return False
        limit = c.max_attended[d]
        return limit is None or self.attended[d] < limit

    def eligible(self, k: int) -> list[int]:
        s = self.c.os_pairs[k][1]
        return [r for r in self.c.os_requests[k] if self.can_attend(r, s)]

    def best_opening(self, k: int) -> tuple[float, int, str | None, list[int]]:
        """Value, size, room and attendees of opening candidate round k now (value -1 if it
        cannot open)."""
        c = self.c
        o, s = c.os_pairs[k]
        if k in self.attendees or self.repeats[o] >= c.max_repeats[o]:
            return -1.0, 0, None, []
        if not self.delegation_free(c.owner[o], s):
            return -1.0, 0, None, []
        pinned_room = c.pinned_room.get((o, s))
        if pinned_room is None and not self.free[s]:
            return -1.0, 0, None, []
        candidates = self.eligible(k)
        if len(candidates) < c.min_attendees:
            return -1.0, 0, None, []
        candidates.sort(key=lambda r: (-self.worth(r), c.req_rank[r], r))
        if pinned_room is not None:
            room = pinned_room
            size = min(len(candidates), self.room_capacity[room])
        else:
            largest = self.free[s][-1][0]
            size = min(len(candidates), largest)
            room = next(room_id for cap, room_id in self.free[s] if cap >= size)
        chosen = candidates[:size]
        return sum(self.worth(r) for r in chosen), size, room, chosen

    # -- changes ----------------------------------------------------------------------

    def open(self, k: int, room: str, attendees: list[int]) -> None:
        c = self.c
        o, s = c.os_pairs[k]
        self.room_of[k] = room
        self.attendees[k] = []
        self.repeats[o] += 1
        self.load[c.owner[o]][s] += 1
        if (o, s) not in c.pinned_room:
            self.free[s].remove((self.room_capacity[room], room))
        for r in attendees:
            self.add_attendee(k, r)

    def add_attendee(self, k: int, r: int) -> None:
        c = self.c
        s = c.os_pairs[k][1]
        d = c.req_delegation[r]
        self.attendees[k].append(r)
        self.met_in[r] = k
        self.load[d][s] += 1
        self.attended[d] += 1
        self.value += c.req_weight[r]
        self.met_weight[d] += c.req_weight[r]

    def remove_attendee(self, k: int, r: int) -> None:
        c = self.c
        s = c.os_pairs[k][1]
        d = c.req_delegation[r]
        self.attendees[k].remove(r)
        self.met_in[r] = None
        self.load[d][s] -= 1
        self.attended[d] -= 1
        self.value -= c.req_weight[r]
        self.met_weight[d] -= c.req_weight[r]

    def close(self, k: int) -> None:
        c = self.c
        o, s = c.os_pairs[k]
        for r in list(self.attendees[k]):
            self.remove_attendee(k, r)
        room = self.room_of.pop(k)
        del self.attendees[k]
        self.repeats[o] -= 1
        self.load[c.owner[o]][s] -= 1
        if (o, s) not in c.pinned_room:
            self.free[s].append((self.room_capacity[room], room))
            self.free[s].sort()

    def copy_from(self, other: State) -> None:
        self.load = [row[:] for row in other.load]
        self.attended = other.attended[:]
        self.met_in = other.met_in[:]
        self.repeats = other.repeats[:]
        self.room_of = dict(other.room_of)
        self.attendees = {k: list(v) for k, v in other.attendees.items()}
        self.free = [list(rooms) for rooms in other.free]
        self.value = other.value
        self.met_weight = other.met_weight[:]
        self.favour_worst_off = other.favour_worst_off

    def clone(self) -> State:
        twin = State.__new__(State)
        twin.c = self.c
        twin.room_capacity = self.room_capacity
        twin.copy_from(self)
        return twin

    # -- construction -----------------------------------------------------------------

    def fill_rounds(self, rounds=None) -> None:
        """Seat further eligible requesters in open rounds with spare seats, best first."""
        c = self.c
        for k in sorted(self.attendees if rounds is None else rounds):
            if k not in self.attendees:
                continue
            spare = self.room_capacity[self.room_of[k]] - len(self.attendees[k])
            if spare <= 0:
                continue
            extra = self.eligible(k)
            extra.sort(key=lambda r: (-self.worth(r), c.req_rank[r], r))
            for r in extra[:spare]:
                self.add_attendee(k, r)

    def greedy(self, candidates=None, *, noise: dict[int, float] | None = None,
               banned: frozenset[int] = frozenset()) -> None:
        """Open the most valuable round available, again and again (lazy evaluation: opening
        a round never makes another more valuable, so a stale value is an upper bound).
        `noise` multiplies the values of some candidates (randomised recreation); `banned`
        candidates are not opened."""
        c = self.c
        pool = range(len(c.os_pairs)) if candidates is None else candidates
        factor = noise or {}
        heap = []
        for k in pool:
            if k in banned:
                continue
            value = self.best_opening(k)[0] * factor.get(k, 1.0)
            if value > 0:
                heap.append((-value, k))
        heapq.heapify(heap)
        while heap:
            _negative, k = heapq.heappop(heap)
            value, _size, room, attendees = self.best_opening(k)
            value *= factor.get(k, 1.0)
            if value <= 0:
                continue
            if heap and value < -heap[0][0] - 1e-12:
                heapq.heappush(heap, (-value, k))
                continue
            self.open(k, room, attendees)
        self.fill_rounds()


def pinned_start(compiled: Compiled) -> State | None:
    """A state with every pinned round open and seated up to min_attendees, or None when
    greedy seating cannot reach min_attendees for some pin (the exact search then
    decides)."""
    c = compiled
    state = State(c)
    pinned = sorted(c.os_index[key] for key in c.pinned_room)
    for k in pinned:
        o, s = c.os_pairs[k]
        if not state.delegation_free(c.owner[o], s):
            return None
        state.open(k, c.pinned_room[(o, s)], [])
    # Top up the pins with the fewest possible attendees first: they are the hardest to fill.
    for k in sorted(pinned, key=lambda k: (len(c.os_requests[k]), k)):
        missing = c.min_attendees - len(state.attendees[k])
        if missing <= 0:
            continue
        candidates = state.eligible(k)
        if len(candidates) < missing:
            return None
        candidates.sort(key=lambda r: (-c.req_weight[r], c.req_rank[r], r))
        for r in candidates[:missing]:
            state.add_attendee(k, r)
    return state


def ruin_and_recreate(
    state: State,
    *,
    seed: int,
    iterations: int,
    should_stop: Callable[[], bool] = lambda: False,
    on_improvement: Callable[[State], None] | None = None,
) -> State:
    """Close a few related rounds, rebuild greedily, keep the result when it is not worse."""
    c = state.c
    rng = random.Random(seed)
    best = state.clone()
    current = state.clone()
    pinned = {c.os_index[key] for key in c.pinned_room}
    for _ in range(iterations):
        if should_stop():
            break
        open_rounds = sorted(k for k in current.attendees if k not in pinned)
        if not open_rounds:
            break
        trial = current.clone()
        seed_round = rng.choice(open_rounds)
        ruined = _related_rounds(trial, seed_round, rng, size=rng.randint(2, 6))
        touched_offers = set()
        touched_sessions = set()
        for k in ruined:
            o, s = c.os_pairs[k]
            touched_offers.add(o)
            touched_sessions.add(s)
            trial.close(k)
        # Only these candidates can have gained value: closing frees rooms and delegates in
        # the ruined sessions and the requests of the ruined offers.
        pool = c.candidates_touching(touched_offers, touched_sessions)
        noise = {k: 1.0 + 0.15 * (rng.random() - 0.5) for k in pool}
        banned = frozenset(ruined) if rng.random() < 0.5 else frozenset()
        trial.greedy(pool, noise=noise, banned=banned)
        if trial.value >= current.value - 1e-9:
            current = trial
            if current.value > best.value + 1e-9:
                best = current.clone()
                if on_improvement is not None:
                    on_improvement(best)
    return best


def _related_rounds(state: State, k: int, rng: random.Random, size: int) -> list[int]:
    """Rounds that share a session or attendees with round k: ruining them together frees
    room for a different arrangement."""
    c = state.c
    s = c.os_pairs[k][1]
    delegations = {c.req_delegation[r] for r in state.attendees[k]}
    related = []
    for other in state.attendees:
        if other == k or (c.os_pairs[other][0], c.os_pairs[other][1]) in c.pinned_room:
            continue
        shared = sum(1 for r in state.attendees[other] if c.req_delegation[r] in delegations)
        same_session = c.os_pairs[other][1] == s
        related.append((-(shared + (2 if same_session else 0)) + rng.random(), other))
    related.sort()
    return [k] + [other for _, other in related[: size - 1]]
