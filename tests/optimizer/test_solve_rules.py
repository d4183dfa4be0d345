"""The solver on tiny workshops: one per rule and per default of FORMAT.md, exact answers."""

import pytest

from matchmaking.optimizer import Delegation, InfeasibleInstance, Room, solve

from .helpers import quick, rounds_of, workshop


def test_format_md_example_scores_1_9_and_is_proven(example_document):
    from matchmaking.optimizer import instance_from_dict

    schedule = quick(instance_from_dict(example_document))
    assert rounds_of(schedule) == {("col-unidos", "s2", "r1", ("BOL", "PER"))}
    assert (schedule.score, schedule.upper_bound, schedule.proven_optimal) == (1.9, 1.9, True)


# -- rule 1: one round per room and session, only where the room is open ------------------


def test_rule_1_one_room_one_round():
    instance = workshop(
        delegations=("A", "B", "C", "D", "E", "F"),
        offers=(("a", "A"), ("b", "B")),
        requests=(("C", "a", 1), ("D", "a", 1), ("E", "b", 2), ("F", "b", 2)),
    )
    schedule = quick(instance)
    assert rounds_of(schedule) == {("a", "s1", "r1", ("C", "D"))}
    assert schedule.score == 2.0 and schedule.proven_optimal


def test_rule_1_room_only_in_its_sessions():
    instance = workshop(sessions=("s1", "s2"), rooms=(("r1", 4, ("s2",)),))
    assert rounds_of(quick(instance)) == {("a", "s2", "r1", ("B", "C"))}


def test_default_room_sessions_every_session():
    instance = workshop(
        sessions=("s1", "s2"),
        delegations=("A", "B", "C", "D", "E"),
        offers=(("a", "A"), ("b", "B")),
        requests=(("C", "a", 1), ("D", "a", 1), ("E", "b", 1), ("C", "b", 2)),
    )
    schedule = quick(instance)
    assert schedule.score == 3.9  # both offers run, in different sessions (C wants both)
    assert {r.session for r in schedule.rounds} == {"s1", "s2"}


# -- rule 2: repeats -----------------------------------------------------------------------


def test_rule_2_max_repeats_two():
    instance = workshop(
        sessions=("s1", "s2"), rooms=(("r1", 2),),
        delegations=("A", "B", "C", "D", "E"), offers=(("a", "A", 2),),
        requests=(("B", "a", 1), ("C", "a", 1), ("D", "a", 1), ("E", "a", 1)),
    )
    schedule = quick(instance)
    assert schedule.score == 4.0
    assert sorted(r.session for r in schedule.rounds) == ["s1", "s2"]


def test_default_max_repeats_is_one():
    instance = workshop(
        sessions=("s1", "s2"), rooms=(("r1", 2),),
        delegations=("A", "B", "C", "D", "E"), offers=(("a", "A"),),
        requests=(("B", "a", 1), ("C", "a", 1), ("D", "a", 1), ("E", "a", 1)),
    )
    schedule = quick(instance)
    assert schedule.score == 2.0 and len(schedule.rounds) == 1


def test_rule_2_never_twice_in_one_session():
    instance = workshop(
        rooms=(("r1", 2), ("r2", 2)),
        delegations=("A", "B", "C", "D", "E"), offers=(("a", "A", 2),),
        requests=(("B", "a", 1), ("C", "a", 1), ("D", "a", 1), ("E", "a", 1)),
    )
    schedule = quick(instance)
    assert schedule.score == 2.0 and len(schedule.rounds) == 1


# -- rule 3: attendees requested the offer, once ------------------------------------------


def test_rule_3_a_delegation_attends_an_offer_once():
    instance = workshop(sessions=("s1", "s2"), offers=(("a", "A", 2),),
                        delegations=("A", "B", "C", "D"))
    schedule = quick(instance)
    assert len(schedule.rounds) == 1 and schedule.score == 2.0
    assert all("D" not in r.attendees and "A" not in r.attendees for r in schedule.rounds)


# -- rule 4: min_attendees and capacity ---------------------------------------------------


def test_default_min_attendees_is_two():
    instance = workshop(requests=(("B", "a", 1),))
    assert quick(instance).rounds == ()
    assert rounds_of(quick(workshop(requests=(("B", "a", 1),), min_attendees=1))) == {
        ("a", "s1", "r1", ("B",))}


def test_rule_4_min_attendees_three():
    assert quick(workshop(min_attendees=3)).score == 0.0


def test_rule_4_capacity_keeps_the_heaviest_requests():
    instance = workshop(
        rooms=(("r1", 2),), delegations=("A", "B", "C", "D"),
        requests=(("B", "a", 1), ("C", "a", 2), ("D", "a", 3)),
    )
    schedule = quick(instance)
    assert rounds_of(schedule) == {("a", "s1", "r1", ("B", "C"))}
    assert schedule.score == 1.9


def test_rule_4_big_round_gets_the_big_room():
    instance = workshop(
        rooms=(("big", 3), ("small", 2)),
        delegations=("A", "B", "C", "D", "E", "F", "G"),
        offers=(("a", "A"), ("b", "B")),
        requests=(("C", "a", 1), ("D", "a", 1), ("E", "a", 1), ("F", "b", 2), ("G", "b", 2)),
    )
    schedule = quick(instance)
    assert rounds_of(schedule) == {("a", "s1", "big", ("C", "D", "E")),
                                   ("b", "s1", "small", ("F", "G"))}
    assert schedule.score == 4.8


# -- rule 5: delegates, unavailability, max_attended, presenting ---------------------------


def clash(**delegation_b):
    return workshop(
        rooms=(("r1", 4), ("r2", 4)),
        delegations=("A", Delegation("B", **delegation_b), "C", "D", "E"),
        offers=(("a", "A"), ("b", "E")),
        requests=(("B", "a", 1), ("C", "a", 1), ("B", "b", 2), ("D", "b", 1)),
    )


def test_default_delegates_is_one():
    schedule = quick(clash())
    assert rounds_of(schedule) == {("a", "s1", "r1", ("B", "C"))}
    assert schedule.score == 2.0


def test_rule_5_two_delegates_attend_two_rounds_at_once():
    schedule = quick(clash(delegates=2))
    assert rounds_of(schedule) == {("a", "s1", "r1", ("B", "C")), ("b", "s1", "r2", ("B", "D"))}
    assert schedule.score == 3.9


def test_rule_5_unavailable_sessions():
    instance = workshop(sessions=("s1", "s2"),
                        delegations=("A", Delegation("B", unavailable={"s1"}), "C"))
    assert rounds_of(quick(instance)) == {("a", "s2", "r1", ("B", "C"))}


def test_default_unavailable_is_none_and_max_attended_unlimited():
    instance = workshop(
        sessions=("s1", "s2"),
        delegations=("A", "B", "C", "D"),
        offers=(("a", "A"), ("b", "D")),
        requests=(("B", "a", 1), ("C", "a", 1), ("B", "b", 2), ("C", "b", 2)),
    )
    schedule = quick(instance)
    assert schedule.score == 3.8  # B and C attend both rounds, one per session


def test_rule_5_max_attended():
    instance = workshop(
        sessions=("s1", "s2"),
        delegations=("A", Delegation("B", max_attended=1), "C", "D"),
        offers=(("a", "A"), ("b", "D")),
        requests=(("B", "a", 1), ("C", "a", 1), ("B", "b", 2), ("C", "b", 2)),
        min_attendees=1,
    )
    schedule = quick(instance)
    assert schedule.score == 2.9  # B attends only a; C attends both
    attended_by_b = [r.offer for r in schedule.rounds if "B" in r.attendees]
    assert attended_by_b == ["a"]


def test_rule_5_presenting_takes_a_delegate():
    instance = workshop(
        delegations=("A", "B", "C", "D"),
        offers=(("a", "A"), ("b", "B")),
        rooms=(("r1", 4), ("r2", 4)),
        requests=(("C", "a", 1), ("D", "a", 1), ("A", "b", 1), ("C", "b", 2)),
        min_attendees=1,
    )
    schedule = quick(instance)
    # A presents a (1 delegate) so cannot attend b; C attends only one of the two.
    assert schedule.score == 2.0
    assert all("A" not in r.attendees for r in schedule.rounds)


# -- weights ------------------------------------------------------------------------------


def test_default_weight_by_rank_and_explicit_weight():
    instance = workshop(
        rooms=(("r1", 3),), delegations=("A", "B", "C", "D"),
        requests=(("B", "a", 3), ("C", "a", 15), ("D", "a", 1, 2.5)),
    )
    schedule = quick(instance)
    assert schedule.score == 0.8 + 0.1 + 2.5
    assert schedule.delegations["D"].met_weight == 2.5


def test_weights_without_a_decimal_unit_still_prove_optimality():
    instance = workshop(delegations=("A", "B", "C"),
                        requests=(("B", "a", 1, 1 / 3), ("C", "a", 1, 2 / 7)))
    schedule = quick(instance)
    assert schedule.proven_optimal
    assert schedule.score == round(1 / 3 + 2 / 7, 9)


# -- rule 6: pins ---------------------------------------------------------------------------


def pinned_workshop(pins):
    return workshop(
        delegations=("A", "B", "C", "D", "E", "F"),
        offers=(("a", "A"), ("b", "B")),
        requests=(("C", "a", 1), ("D", "a", 1), ("E", "b", 2), ("F", "b", 2)),
        pinned=pins,
    )


def test_default_no_pins_best_offer_runs():
    assert rounds_of(quick(pinned_workshop(()))) == {("a", "s1", "r1", ("C", "D"))}


def test_rule_6_a_pin_wins_over_value():
    schedule = quick(pinned_workshop((("b", "s1", "r1"),)))
    assert rounds_of(schedule) == {("b", "s1", "r1", ("E", "F"))}
    assert schedule.score == 1.8 and schedule.proven_optimal


@pytest.mark.parametrize("instance, reason", [
    (workshop(sessions=("s1", "s2"), delegations=(Delegation("A", unavailable={"s1"}), "B", "C"),
              pinned=(("a", "s1", "r1"),)),
     "pinned[0]: the owner 'A' of offer 'a' is unavailable in session 's1'"),
    (workshop(requests=(("B", "a", 1),), pinned=(("a", "s1", "r1"),)),
     "pinned[0]: only 1 delegation(s) can attend offer 'a' in session 's1', min_attendees is 2"),
    (workshop(rooms=(("r1", 4), ("r2", 4)), offers=(("a", "A", 2),),
              pinned=(("a", "s1", "r1"), ("a", "s1", "r2"))),
     "pinned[1]: offer 'a' is also pinned in session 's1' by pinned[0] (an offer runs at most "
     "once per session)"),
    (workshop(sessions=("s1", "s2"), pinned=(("a", "s1", "r1"), ("a", "s2", "r1"))),
     "pinned[1]: offer 'a' is pinned 2 times, max_repeats is 1"),
    (workshop(rooms=(("r1", 4), ("r2", 4)), offers=(("a", "A"), ("b", "A")),
              requests=(("B", "a", 1), ("C", "a", 1), ("B", "b", 2), ("C", "b", 2)),
              pinned=(("a", "s1", "r1"), ("b", "s1", "r2"))),
     "pinned[1]: 'A' would present 2 pinned rounds in session 's1' with 1 delegate(s)"),
    (workshop(rooms=(("r1", 1),), pinned=(("a", "s1", "r1"),)),
     "pinned[0]: room 'r1' seats 1, min_attendees is 2"),
    (workshop(rooms=(("r1", 4), ("r2", 4)), delegations=("A", "B", "C", "D"),
              offers=(("a", "A"), ("b", "D")),
              requests=(("B", "a", 1), ("C", "a", 1), ("B", "b", 1), ("C", "b", 1)),
              pinned=(("a", "s1", "r1"), ("b", "s1", "r2"))),
     "the pins cannot all be honoured together: their rounds cannot all reach min_attendees "
     "with the delegates available"),
])
def test_infeasible_pins_name_the_reason(instance, reason):
    with pytest.raises(InfeasibleInstance) as caught:
        solve(instance, time_limit=30)
    assert str(caught.value) == reason


def test_room_assignment_prefers_the_smallest_room_that_fits():
    instance = workshop(rooms=(Room("hall", 10), Room("cosy", 2)))
    assert rounds_of(quick(instance)) == {("a", "s1", "cosy", ("B", "C"))}
