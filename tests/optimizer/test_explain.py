"""Unmet requests and their FORMAT.md reasons: one tiny workshop per reason."""

from matchmaking.optimizer import REASONS, Delegation, Round, Unmet
from matchmaking.optimizer.explain import unmet

from .helpers import quick, workshop


def reasons(schedule):
    return [(u.delegation, u.offer, u.reason) for u in schedule.unmet]


def test_the_six_reason_codes():
    assert REASONS == ("owner_unavailable", "too_few_requesters", "no_room",
                       "clash_with_higher_rank", "no_delegates_left", "not_chosen")


def test_owner_unavailable():
    instance = workshop(
        sessions=("s1", "s2"),
        delegations=(Delegation("A", unavailable={"s2"}), Delegation("B", unavailable={"s1"}),
                     "C"),
    )
    assert reasons(quick(instance)) == [("B", "a", "owner_unavailable"),
                                        ("C", "a", "too_few_requesters")]


def test_too_few_requesters():
    instance = workshop(requests=(("B", "a", 1),))
    assert reasons(quick(instance)) == [("B", "a", "too_few_requesters")]


def test_no_room():
    instance = workshop(
        delegations=("A", "B", "C", "D", "E", "F"),
        offers=(("a", "A"), ("b", "B")),
        requests=(("C", "a", 1), ("D", "a", 1), ("E", "b", 2), ("F", "b", 2)),
    )
    assert reasons(quick(instance)) == [("E", "b", "no_room"), ("F", "b", "no_room")]


def test_clash_with_higher_rank():
    instance = workshop(
        rooms=(("r1", 4), ("r2", 4)),
        delegations=("A", "B", "C", "D", "E"),
        offers=(("a", "A"), ("b", "E")),
        requests=(("B", "a", 1), ("C", "a", 1), ("B", "b", 2), ("D", "b", 1), ("C", "b", 3)),
        min_attendees=1,
    )
    schedule = quick(instance)
    assert reasons(schedule) == [("B", "b", "clash_with_higher_rank"),
                                 ("C", "b", "clash_with_higher_rank")]


def test_no_delegates_left():
    instance = workshop(
        rooms=(("r1", 2), ("r2", 2)),
        delegations=("A", "B", "C", "D", "E", "F"),
        offers=(("a", "A"), ("b", "F")),
        requests=(("B", "a", 2), ("C", "a", 1), ("B", "b", 1), ("D", "b", 1), ("E", "b", 1)),
    )
    schedule = quick(instance)
    assert schedule.score == 3.9  # a needs B to run; b is full with D and E
    assert reasons(schedule) == [("B", "b", "no_delegates_left")]


def test_not_chosen():
    instance = workshop(
        rooms=(("r1", 4), ("r2", 4)),
        delegations=("A", "B", "C", "D", "E"),
        offers=(("a", "A"), ("c", "E")),
        requests=(("B", "a", 1), ("C", "a", 2), ("C", "c", 1), ("D", "c", 1)),
    )
    schedule = quick(instance)
    assert reasons(schedule) == [("B", "a", "not_chosen"), ("C", "a", "clash_with_higher_rank")]


def test_max_attended_reached_counts_as_busy():
    instance = workshop(
        sessions=("s1", "s2"),
        delegations=("A", Delegation("B", max_attended=1), "C", "D"),
        offers=(("a", "A"), ("b", "D")),
        requests=(("B", "a", 1), ("C", "a", 1), ("B", "b", 2), ("C", "b", 2)),
        min_attendees=1,
    )
    assert reasons(quick(instance)) == [("B", "b", "clash_with_higher_rank")]


def test_every_unmet_request_has_exactly_one_known_reason():
    instance = workshop(
        sessions=("s1", "s2"),
        rooms=(("r1", 2),),
        delegations=("A", "B", "C", "D", "E"),
        offers=(("a", "A"), ("b", "B"), ("c", "C")),
        requests=(("B", "a", 1), ("C", "a", 2), ("D", "a", 1), ("E", "b", 1), ("A", "b", 1),
                  ("D", "c", 2), ("E", "c", 3), ("A", "c", 2)),
    )
    schedule = quick(instance)
    met = {(d, r.offer) for r in schedule.rounds for d in r.attendees}
    pairs = [(u.delegation, u.offer) for u in schedule.unmet]
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == {(r.delegation, r.offer) for r in instance.requests} - met
    assert all(u.reason in REASONS for u in schedule.unmet)


def test_explanations_of_a_hand_made_schedule():
    instance = workshop(
        delegations=("A", "B", "C", "D"),
        requests=(("B", "a", 1), ("C", "a", 1), ("D", "a", 1)),
    )
    # D could have joined: nothing stops it
    assert unmet(instance, [Round("a", "s1", "r1", ("B", "C"))]) == (
        Unmet("D", "a", "not_chosen"),
    )
