"""Stable re-optimisation with a previous schedule: keep what is still feasible."""

from matchmaking.optimizer import Changes, Delegation, Round, schedule_to_dict
from matchmaking.optimizer.repair import changes, keepable

from .helpers import quick, rounds_of, workshop


def festival(unavailable_b=frozenset()):
    return workshop(
        sessions=("s1", "s2"),
        rooms=(("r1", 3), ("r2", 3)),
        delegations=("A", Delegation("B", unavailable=unavailable_b), "C", "D", "E", "F", "G"),
        offers=(("a", "A"), ("b", "B"), ("c", "C")),
        requests=(("D", "a", 1), ("E", "a", 1), ("F", "b", 1), ("G", "b", 1), ("E", "b", 2),
                  ("D", "c", 1), ("F", "c", 2)),
    )


PREVIOUS = (
    Round("a", "s1", "r1", ("D", "E")),
    Round("b", "s1", "r2", ("F", "G")),
    Round("c", "s2", "r1", ("D", "F")),
)


def test_unchanged_instance_keeps_everything():
    schedule = quick(festival(), previous=PREVIOUS)
    assert rounds_of(schedule) >= {(r.offer, r.session, r.room, r.attendees) for r in PREVIOUS}
    assert schedule.changes.rounds_kept == 3
    assert (schedule.changes.rounds_moved, schedule.changes.rounds_removed) == (0, 0)


def test_presenter_unavailable_moves_only_its_round():
    instance = festival(unavailable_b={"s1"})
    assert keepable(instance, PREVIOUS) == [PREVIOUS[0], PREVIOUS[2]]
    schedule = quick(instance, previous=PREVIOUS)
    assert rounds_of(schedule) == {
        ("a", "s1", "r1", ("D", "E")),
        ("c", "s2", "r1", ("D", "F")),
        ("b", "s2", "r2", ("E", "G")),
    }
    assert schedule.score == 5.8
    assert schedule.changes == Changes(rounds_kept=2, rounds_moved=1, rounds_added=0,
                                       rounds_removed=0, attendances_kept=4,
                                       attendances_changed=3)
    assert schedule_to_dict(schedule)["changes"]["rounds_moved"] == 1
    # the bound still speaks about every feasible schedule, not only the repaired ones
    assert schedule.upper_bound >= quick(instance).score


def test_keepable_trims_overbooked_and_releases_small_rounds():
    instance = workshop(
        sessions=("s1",), rooms=(("r1", 2), ("r2", 2)),
        delegations=("A", "B", "C", Delegation("D", unavailable={"s1"})),
        offers=(("a", "A"), ("b", "B")),
        requests=(("C", "a", 1), ("D", "a", 1), ("C", "b", 2), ("A", "b", 1)),
        min_attendees=1,
    )
    previous = (Round("a", "s1", "r1", ("C", "D")), Round("b", "s1", "r2", ("A", "C")))
    # D is gone; C is in two rounds with one delegate: it keeps its rank-1 request a;
    # A presents a, so its attendance of b goes too, and b is left without attendees.
    assert keepable(instance, previous) == [Round("a", "s1", "r1", ("C",))]


def test_changes_counts():
    before = [Round("a", "s1", "r1", ("X", "Y")), Round("b", "s1", "r2", ("Z",)),
              Round("c", "s2", "r1", ("X",))]
    after = [Round("a", "s1", "r1", ("X",)), Round("b", "s2", "r2", ("Z", "Y")),
             Round("d", "s2", "r1", ("W",))]
    assert changes(before, after) == Changes(
        rounds_kept=1, rounds_moved=1, rounds_added=1, rounds_removed=1,
        attendances_kept=1,  # X in a
        attendances_changed=5,  # Y in a (gone), Z in b (moved), Y in b (new), X in c, W in d
    )


def single_room(unavailable_in_s1=()):
    """Two sessions, one room: `a` runs in s1, `b` in s2; swapping them lets delegations
    that can no longer come to s1 attend `a`, at the cost of moving both rounds."""
    return workshop(
        sessions=("s1", "s2"),
        rooms=(("r1", 5),),
        delegations=("A", "B", "D", "E", "F", "G", *(
            Delegation(x, unavailable=frozenset({"s1"}) if x in unavailable_in_s1
                       else frozenset()) for x in ("X", "Y", "Z"))),
        offers=(("a", "A"), ("b", "B")),
        requests=(("D", "a", 1), ("E", "a", 1), ("X", "a", 1), ("Y", "a", 1), ("Z", "a", 1),
                  ("F", "b", 1), ("G", "b", 2)),
    )


SINGLE_ROOM_PREVIOUS = (
    Round("a", "s1", "r1", ("D", "E", "X", "Y", "Z")),
    Round("b", "s2", "r1", ("F", "G")),
)


def test_one_first_choice_does_not_pay_for_moving_two_rounds():
    # Keeping a round is worth one first choice (KEEP_ROUND_IN_HEAVIEST_REQUESTS): the swap
    # would win X's first choice (1.0) and give up two rounds (2.0) and six attendances
    # (0.3, half a score step each).
    schedule = quick(single_room(unavailable_in_s1={"X"}), previous=SINGLE_ROOM_PREVIOUS)
    assert rounds_of(schedule) == {("a", "s1", "r1", ("D", "E", "Y", "Z")),
                                   ("b", "s2", "r1", ("F", "G"))}
    assert schedule.score == 5.9 and schedule.upper_bound == 6.9
    assert schedule.changes == Changes(rounds_kept=2, rounds_moved=0, rounds_added=0,
                                       rounds_removed=0, attendances_kept=6,
                                       attendances_changed=1)


def test_three_first_choices_pay_for_moving_two_rounds():
    # won 3.0, given up 2.0 for the rounds and 0.2 for the attendances of D, E, F and G
    schedule = quick(single_room(unavailable_in_s1={"X", "Y", "Z"}),
                     previous=SINGLE_ROOM_PREVIOUS)
    assert rounds_of(schedule) == {("a", "s2", "r1", ("D", "E", "X", "Y", "Z")),
                                   ("b", "s1", "r1", ("F", "G"))}
    assert schedule.score == schedule.upper_bound == 6.9
    assert schedule.changes == Changes(rounds_kept=0, rounds_moved=2, rounds_added=0,
                                       rounds_removed=0, attendances_kept=0,
                                       attendances_changed=7)
