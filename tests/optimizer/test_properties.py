"""Properties on random small instances, and the exact optimum against exhaustive search."""

from __future__ import annotations

import itertools
import math

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from matchmaking.optimizer import (
    REASONS,
    Delegation,
    InfeasibleInstance,
    Instance,
    Offer,
    Pin,
    Request,
    Room,
    Round,
    Session,
    schedule_to_dict,
    score,
    solve,
    violations,
)


@st.composite
def small_instances(draw, *, with_pins=True):
    sessions = [f"s{i}" for i in range(1, draw(st.integers(1, 2)) + 1)]
    rooms = []
    for i in range(draw(st.integers(1, 2))):
        open_in = draw(st.one_of(st.none(), st.lists(st.sampled_from(sessions), min_size=1,
                                                      max_size=len(sessions), unique=True)))
        rooms.append(Room(f"r{i + 1}", draw(st.sampled_from([1, 2, 2, 3, 3])),
                          None if open_in is None else tuple(sorted(open_in))))
    delegations = []
    for i in range(draw(st.integers(2, 4))):
        delegations.append(Delegation(
            f"D{i + 1}",
            delegates=draw(st.integers(1, 2)),
            unavailable=frozenset(draw(st.sampled_from([[], [], [], sessions[:1]]))),
            max_attended=draw(st.sampled_from([None, None, None, 0, 1, 2])),
        ))
    offers = [
        Offer(f"o{i + 1}", draw(st.sampled_from(delegations)).id,
              max_repeats=draw(st.integers(1, 2)))
        for i in range(draw(st.sampled_from([1, 2, 2, 3])))
    ]
    pairs = [(d.id, o.id) for d in delegations for o in offers if o.owner != d.id]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, min_size=min(2, len(pairs)),
                           max_size=6)) if pairs else []
    requests = [
        Request(d, o, rank=draw(st.integers(1, 3)),
                weight=draw(st.sampled_from([None, None, 0.5, 1.5, 2.0])))
        for d, o in chosen
    ]
    pinned = []
    requested = sorted({o for _d, o in chosen})
    if with_pins and requested and draw(st.booleans()):
        instance_offer = draw(st.sampled_from(requested))
        session = draw(st.sampled_from(sessions))
        open_rooms = [r for r in rooms if r.available_in(session)]
        if open_rooms:
            pinned.append(Pin(instance_offer, session, draw(st.sampled_from(open_rooms)).id))
    return Instance(
        sessions=tuple(Session(s) for s in sessions), rooms=tuple(rooms),
        delegations=tuple(delegations), offers=tuple(offers), requests=tuple(requests),
        pinned=tuple(pinned), min_attendees=draw(st.sampled_from([1, 2, 2])),
    )


def feasible_schedules(instance: Instance):
    """Every feasible schedule, by brute force: each request is met in one session or not at
    all, the rounds follow, and every way of putting them into rooms is tried."""
    sessions = instance.session_ids
    requests = instance.requests
    pins = {(p.offer, p.session): p.room for p in instance.pinned}
    for choice in itertools.product([None, *sessions], repeat=len(requests)):
        attendees: dict[tuple[str, str], list[str]] = {key: [] for key in pins}
        for request, session in zip(requests, choice, strict=True):
            if session is not None:
                attendees.setdefault((request.offer, session), []).append(request.delegation)
        keys = sorted(attendees)
        by_session = {s: [k for k in keys if k[1] == s] for s in sessions}
        room_options = []
        for s in sessions:
            options = []
            for rooms in itertools.permutations([r.id for r in instance.rooms],
                                                len(by_session[s])):
                if all(pins.get(k, room) == room for k, room in zip(by_session[s], rooms,
                                                                    strict=True)):
                    options.append(list(zip(by_session[s], rooms, strict=True)))
            room_options.append(options)
        for combination in itertools.product(*room_options):
            rounds = [Round(offer, session, room, tuple(sorted(attendees[(offer, session)])))
                      for placed in combination for (offer, session), room in placed]
            if not violations(instance, rounds):
                yield rounds
                break  # other room choices give the same attendance, hence the same value


def servable(instance: Instance) -> list[str]:
    """Without pins, a delegation can be served iff one of its requests fits in a round alone."""
    result = []
    for delegation in instance.delegations:
        for request in instance.requests_by_delegation[delegation.id]:
            if any(
                not violations(instance, [Round(request.offer, s, room.id, team)])
                for s in instance.session_ids for room in instance.rooms
                for team in _teams(instance, request, s)
            ):
                result.append(delegation.id)
                break
    return result


def _teams(instance, request, session):
    others = [r.delegation for r in instance.requests_by_offer[request.offer]
              if r.delegation != request.delegation]
    size = max(instance.min_attendees, 1)
    for team in itertools.combinations(others, size - 1):
        yield tuple(sorted((request.delegation, *team)))


def share_floor(instance, rounds, delegations) -> float:
    met = {(d, r.offer) for r in rounds for d in r.attendees}
    shares = []
    for d in delegations:
        wanted = instance.requests_by_delegation[d]
        total = math.fsum(r.value for r in wanted)
        got = math.fsum(r.value for r in wanted if (d, r.offer) in met)
        shares.append(got / total if total > 0 else 1.0)
    return min(shares) if shares else 1.0


PROPERTY_SETTINGS = settings(max_examples=60, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(small_instances())
def test_demand_is_feasible_honest_and_equals_brute_force(instance):
    best = max((score(instance, rounds) for rounds in feasible_schedules(instance)),
               default=None)
    try:
        schedule = solve(instance, time_limit=60, seed=3)
    except InfeasibleInstance:
        assert best is None, "solver called feasible pins infeasible"
        event("infeasible pins")
        return
    event("pinned" if instance.pinned else "no pins")
    event("nothing can be met" if best == 0 else "something is met")
    assert best is not None
    assert violations(instance, schedule.rounds) == []
    assert schedule.score == score(instance, schedule.rounds)
    assert schedule.score <= schedule.upper_bound + 1e-9
    assert schedule.score == best
    assert schedule.proven_optimal
    present = {(r.offer, r.session, r.room) for r in schedule.rounds}
    assert all((p.offer, p.session, p.room) in present for p in instance.pinned)
    assert all(u.reason in REASONS for u in schedule.unmet)
    again = solve(instance, time_limit=60, seed=3)
    assert schedule_to_dict(again) == schedule_to_dict(schedule)


@PROPERTY_SETTINGS
@given(small_instances(with_pins=False))
def test_fair_equals_brute_force_lexicographic_optimum(instance):
    counted = servable(instance)
    best_key = None
    for rounds in feasible_schedules(instance):
        key = (round(share_floor(instance, rounds, counted), 9), score(instance, rounds))
        if best_key is None or key > best_key:
            best_key = key
    schedule = solve(instance, time_limit=60, objective="fair")
    event("fair differs from demand" if schedule.score < solve(instance, time_limit=60).score
          else "fair agrees with demand")
    assert violations(instance, schedule.rounds) == []
    assert schedule.score <= schedule.upper_bound + 1e-9
    expected_floor = best_key[0] if counted else None
    assert schedule.worst_share == expected_floor
    assert schedule.score == best_key[1]
    assert schedule.proven_optimal
