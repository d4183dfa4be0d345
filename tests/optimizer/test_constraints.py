"""FORMAT.md's feasibility rules, one labelled function each, on hand-built schedules."""

import pytest

from matchmaking.optimizer import RULES, Delegation, Round, score, validate, violations
from matchmaking.optimizer import constraints as rules

from .helpers import workshop


def messages(function, instance, rounds):
    return [v.message for v in function(instance, rounds)]


def test_the_six_rules_are_registered_in_order_with_labels():
    assert [(rule.number, rule.label) for rule in RULES] == [
        (1, "rooms and sessions"),
        (2, "offer repeats"),
        (3, "attendees requested the offer"),
        (4, "round size"),
        (5, "delegates"),
        (6, "pins"),
    ]


def two_sessions():
    return workshop(
        sessions=("s1", "s2"),
        rooms=(("r1", 3), ("r2", 2, ("s2",))),
        delegations=("A", "B", "C", Delegation("D", delegates=2, unavailable={"s1"},
                                               max_attended=1)),
        offers=(("a", "A"), ("b", "B", 2)),
        requests=(("B", "a", 1), ("C", "a", 1), ("D", "a", 2), ("A", "b", 1),
                  ("C", "b", 2), ("D", "b", 1)),
        pinned=(("a", "s1", "r1"),),
    )


def test_a_feasible_schedule_has_no_violations_and_its_score():
    instance = two_sessions()
    rounds = [Round("a", "s1", "r1", ("B", "C")), Round("b", "s2", "r1", ("A", "C", "D"))]
    found, value = validate(instance, rounds)
    assert found == []
    assert value == 1.0 + 1.0 + 1.0 + 0.9 + 1.0
    assert rules.is_feasible(instance, rounds)


def test_rule_1_rooms_and_sessions():
    instance = two_sessions()
    rounds = [
        Round("a", "s1", "r1", ("B", "C")),
        Round("b", "s1", "r1", ("A", "C")),  # r1 already holds rounds[0] in s1
        Round("b", "s2", "r2", ("A", "C")),
        Round("x", "s3", "r7", ("A",)),  # unknown everything
        Round("b", "s1", "r2", ("A", "C")),  # r2 is closed in s1
    ]
    assert messages(rules.rooms_and_sessions, instance, rounds) == [
        "rounds[1] (b in s1/r1): room 'r1' already holds rounds[0] in session 's1'",
        "rounds[3] (x in s3/r7): unknown offer 'x'",
        "rounds[3] (x in s3/r7): unknown session 's3'",
        "rounds[3] (x in s3/r7): unknown room 'r7'",
        "rounds[4] (b in s1/r2): room 'r2' is not available in session 's1'",
    ]


def test_rule_2_offer_repeats():
    instance = two_sessions()
    rounds = [
        Round("a", "s1", "r1", ("B", "C")),
        Round("a", "s2", "r1", ("B", "C")),  # max_repeats 1
        Round("b", "s2", "r2", ("A", "C")),
        Round("b", "s2", "r1", ("A", "D")),  # twice in s2
    ]
    assert messages(rules.offer_repeats, instance, rounds) == [
        "offer 'a' has 2 rounds, max_repeats is 1",
        "offer 'b' has 2 rounds in session 's2'",
    ]


def test_rule_3_attendees_requested_the_offer():
    instance = two_sessions()
    rounds = [
        Round("a", "s1", "r1", ("A", "B", "C")),  # the owner attends its own offer
        Round("b", "s2", "r1", ("A", "B", "D")),  # B owns b; ...
        Round("b", "s1", "r2", ("C", "C")),
    ]
    assert messages(rules.attendees_requested, instance, rounds) == [
        "rounds[0] (a in s1/r1): owner 'A' attends its own offer",
        "rounds[1] (b in s2/r1): owner 'B' attends its own offer",
        "rounds[2] (b in s1/r2): 'C' already attends offer 'b' in rounds[2]",
    ]
    assert messages(rules.attendees_requested, instance,
                    [Round("a", "s1", "r1", ("B", "X"))]) == [
        "rounds[0] (a in s1/r1): 'X' did not request offer 'a'",
    ]
    assert messages(rules.attendees_requested, instance,
                    [Round("b", "s1", "r1", ("A", "C")), Round("b", "s2", "r1", ("C", "D"))]) == [
        "rounds[1] (b in s2/r1): 'C' already attends offer 'b' in rounds[0]",
    ]


def test_rule_4_round_size():
    instance = two_sessions()
    rounds = [Round("a", "s1", "r1", ("B",)), Round("b", "s2", "r2", ("A", "C", "D"))]
    assert messages(rules.round_size, instance, rounds) == [
        "rounds[0] (a in s1/r1): 1 attendees, min_attendees is 2",
        "rounds[1] (b in s2/r2): 3 attendees, room capacity is 2",
    ]


def test_rule_5_delegates():
    instance = two_sessions()
    rounds = [
        Round("a", "s1", "r1", ("C", "D")),  # D is unavailable in s1
        Round("b", "s2", "r1", ("A", "C")),
        Round("a", "s2", "r2", ("C", "D")),
    ]
    assert messages(rules.delegation_load, instance, rounds) == [
        "'A' is in 2 rounds in session 's2' with 1 delegate(s)",  # presents a, attends b
        "'C' is in 2 rounds in session 's2' with 1 delegate(s)",
        "'D' is unavailable in session 's1' but is in 1 round(s) there",
        "'D' attends 2 rounds, max_attended is 1",
    ]


def test_rule_5_presenting_counts():
    instance = two_sessions()
    # A presents a and attends b in the same session with one delegate
    rounds = [Round("a", "s1", "r1", ("B", "C")), Round("b", "s1", "r2", ("A", "C"))]
    assert "'A' is in 2 rounds in session 's1' with 1 delegate(s)" in messages(
        rules.delegation_load, instance, rounds)


def test_rule_6_pins():
    instance = two_sessions()
    assert messages(rules.pins_honoured, instance, [Round("a", "s2", "r1", ("B", "C"))]) == [
        "pinned[0]: offer 'a' does not run in session 's1', room 'r1'",
    ]


def test_validator_reports_rule_numbers_and_labels():
    instance = two_sessions()
    found = violations(instance, [Round("a", "s2", "r1", ("B",))])
    assert [(v.rule, v.label) for v in found] == [(4, "round size"), (6, "pins")]
    assert str(found[0]) == "rule 4 (round size): rounds[0] (a in s2/r1): 1 attendees, " \
                            "min_attendees is 2"


@pytest.mark.parametrize("attendees, expected", [
    (("B", "C"), 2.0),
    (("B", "C", "D"), 2.9),
    (("B", "X"), 1.0),  # X did not request the offer: nothing met
])
def test_score_is_recomputed_from_attendance(attendees, expected):
    instance = two_sessions()
    assert score(instance, [Round("a", "s1", "r1", attendees)]) == expected


def test_score_rounds_sums_consistently():
    instance = workshop(
        delegations=("A", "B", "C", "D"),
        requests=(("B", "a", 2), ("C", "a", 3), ("D", "a", 9)),
    )
    # 0.9 + 0.8 + 0.2 is 1.9000000000000001 in floating point
    assert score(instance, [Round("a", "s1", "r1", ("B", "C", "D"))]) == 1.9
