"""The textbook model, for comparison: one binary per (offer, session, room) and per
(request, session, room), solved by `scipy.optimize.milp` (HiGHS) as it comes.

Only variables that availability rules out are left away (owner or requester absent, room
closed, room too small for min_attendees); no aggregation, no symmetry breaking, no warm
start. Its schedule is decoded and checked with the same validator as ours.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from .. import constraints, evaluate
from ..model import Instance, Round


@dataclass
class DirectResult:
    rounds: tuple[Round, ...] | None
    score: float | None
    bound: float | None
    seconds: float
    status: str
    variables: int


def variable_count(instance: Instance) -> int:
    rounds, seats, _index = _columns(instance)
    return len(rounds) + len(seats)


def _columns(instance: Instance):
    L = instance.min_attendees
    rounds = []  # (offer, session, room)
    for offer in instance.offers:
        for session in instance.session_ids:
            if not constraints.can_be_present(instance, offer.owner, session):
                continue
            for room in instance.rooms:
                if constraints.room_available(instance, room.id, session) and (
                    room.capacity >= max(L, 1)
                ):
                    rounds.append((offer.id, session, room.id))
    index = {key: i for i, key in enumerate(rounds)}
    seats = []  # (request index, round index)
    by_offer_session: dict[tuple[str, str], list[int]] = {}
    for i, (offer_id, session, _room) in enumerate(rounds):
        by_offer_session.setdefault((offer_id, session), []).append(i)
    for q, request in enumerate(instance.requests):
        for session in instance.session_ids:
            if not constraints.can_be_present(instance, request.delegation, session):
                continue
            for i in by_offer_session.get((request.offer, session), []):
                seats.append((q, i))
    return rounds, seats, index


def solve_direct(instance: Instance, *, time_limit: float) -> DirectResult:
    started = time.perf_counter()
    rounds, seats, index = _columns(instance)
    n_y, n_x = len(rounds), len(seats)
    n = n_y + n_x
    rows, cols, vals, lower, upper = [], [], [], [], []

    def add(columns, values, low, high):
        row = len(lower)
        rows.extend([row] * len(columns))
        cols.extend(columns)
        vals.extend(values)
        lower.append(low)
        upper.append(high)

    seats_of_round: list[list[int]] = [[] for _ in rounds]
    seats_of_request: list[list[int]] = [[] for _ in instance.requests]
    for j, (q, i) in enumerate(seats):
        seats_of_round[i].append(n_y + j)
        seats_of_request[q].append(n_y + j)
    by_slot: dict[tuple[str, str], list[int]] = {}
    by_offer: dict[str, list[int]] = {}
    for i, (offer_id, session, room_id) in enumerate(rounds):
        by_slot.setdefault((session, room_id), []).append(i)
        by_offer.setdefault(offer_id, []).append(i)
    # a room holds one round per session
    for _slot, members in sorted(by_slot.items()):
        add(members, [1.0] * len(members), -math.inf, 1.0)
    # repeats, once per session
    for offer_id, members in sorted(by_offer.items()):
        add(members, [1.0] * len(members), -math.inf,
            float(instance.offer_by_id[offer_id].max_repeats))
        for session in instance.session_ids:
            same = [i for i in members if rounds[i][1] == session]
            if len(same) > 1:
                add(same, [1.0] * len(same), -math.inf, 1.0)
    # a request at most once; attend only running rounds; size limits
    for members in seats_of_request:
        if members:
            add(members, [1.0] * len(members), -math.inf, 1.0)
    for j, (_q, i) in enumerate(seats):
        add([n_y + j, i], [1.0, -1.0], -math.inf, 0.0)
    for i, (_o, _s, room_id) in enumerate(rounds):
        members = seats_of_round[i]
        capacity = instance.room_by_id[room_id].capacity
        add([*members, i], [1.0] * len(members) + [-float(instance.min_attendees)], 0.0,
            math.inf)
        add([*members, i], [1.0] * len(members) + [-float(capacity)], -math.inf, 0.0)
    # delegates per session, max_attended
    load: dict[tuple[str, str], list[int]] = {}
    for i, (offer_id, session, _r) in enumerate(rounds):
        load.setdefault((instance.offer_by_id[offer_id].owner, session), []).append(i)
    attended: dict[str, list[int]] = {}
    for j, (q, i) in enumerate(seats):
        delegation = instance.requests[q].delegation
        load.setdefault((delegation, rounds[i][1]), []).append(n_y + j)
        attended.setdefault(delegation, []).append(n_y + j)
    for (delegation, _s), members in sorted(load.items()):
        add(members, [1.0] * len(members), -math.inf,
            float(instance.delegation_by_id[delegation].delegates))
    for delegation, members in sorted(attended.items()):
        limit = instance.delegation_by_id[delegation].max_attended
        if limit is not None:
            add(members, [1.0] * len(members), -math.inf, float(limit))

    low = np.zeros(n)
    for pin in instance.pinned:
        key = (pin.offer, pin.session, pin.room)
        if key in index:
            low[index[key]] = 1.0
    cost = np.zeros(n)
    for j, (q, _i) in enumerate(seats):
        cost[n_y + j] = -instance.requests[q].value  # milp minimises
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(lower), n))
    result = milp(
        cost,
        constraints=LinearConstraint(matrix, lower, upper),
        integrality=np.ones(n),
        bounds=Bounds(low, np.ones(n)),
        options={"time_limit": max(1.0, time_limit - (time.perf_counter() - started)),
                 "disp": False, "mip_rel_gap": 0.0},
    )
    seconds = time.perf_counter() - started
    bound = getattr(result, "mip_dual_bound", None)
    bound = None if bound is None or not math.isfinite(bound) else -bound
    if result.x is None:
        return DirectResult(None, None, bound, seconds, result.message, n)
    chosen = []
    for i, (offer_id, session, room_id) in enumerate(rounds):
        if result.x[i] > 0.5:
            attendees = sorted(
                instance.requests[seats[j - n_y][0]].delegation
                for j in seats_of_round[i] if result.x[j] > 0.5
            )
            chosen.append(Round(offer_id, session, room_id, tuple(attendees)))
    chosen = tuple(chosen)
    if constraints.violations(instance, chosen):
        return DirectResult(chosen, None, bound, seconds, "infeasible answer", n)
    return DirectResult(chosen, evaluate.score(instance, chosen), bound, seconds,
                        "optimal" if result.status == 0 else "time limit", n)
