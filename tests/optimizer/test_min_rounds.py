"""The fair objective's first stage: as many delegations as possible attend a minimum of
rounds (solve's `min_rounds`), then the largest smallest share, then the most weight."""

import json

import pytest

from matchmaking.optimizer import Delegation, instance_to_dict, schedule_to_dict, solve
from matchmaking.optimizer.cli import main
from matchmaking.optimizer.compiled import Compiled

from .helpers import quick, workshop


def two_tables(c_ranks=(1, 3)):
    """Two one-to-one meetings to give (two sessions, one table): B wants a and b, C wants c
    and d. Splitting them serves both halfway; giving one delegation both meets its minimum
    of two."""
    return workshop(
        sessions=("s1", "s2"),
        rooms=(("r1", 1),),
        delegations=("X", "Y", "Z", "W", "B", "C"),
        offers=(("a", "X"), ("b", "Y"), ("c", "Z"), ("d", "W")),
        requests=(("B", "a", 1), ("B", "b", 2), ("C", "c", c_ranks[0]), ("C", "d", c_ranks[1])),
        min_attendees=1,
    )


def attended(schedule):
    return sorted((r.offer, *r.attendees) for r in schedule.rounds)


def test_fair_alone_splits_the_meetings_between_b_and_c():
    schedule = quick(two_tables(), objective="fair")
    assert attended(schedule) == [("a", "B"), ("c", "C")]
    assert schedule.worst_share == round(1.0 / 1.9, 9)
    assert schedule.min_rounds is None and schedule.min_rounds_reached is None


def test_a_minimum_of_two_rounds_comes_before_the_smallest_share():
    schedule = quick(two_tables(), objective="fair", min_rounds=2)
    # One delegation can reach two rounds, not both; B's requests weigh more (1.9 > 1.8),
    # so the last stage gives B both.
    assert attended(schedule) == [("a", "B"), ("b", "B")]
    assert (schedule.min_rounds, schedule.min_rounds_reached,
            schedule.min_rounds_reached_bound) == (2, 1, 1)
    assert schedule.worst_share == 0.0
    assert (schedule.score, schedule.upper_bound, schedule.proven_optimal) == (1.9, 1.9, True)


def test_a_minimum_everyone_already_reaches_leaves_the_fair_schedule_unchanged():
    schedule = quick(two_tables(), objective="fair", min_rounds=1)
    assert attended(schedule) == [("a", "B"), ("c", "C")]
    assert (schedule.min_rounds_reached, schedule.min_rounds_reached_bound) == (2, 2)
    assert schedule.worst_share == round(1.0 / 1.9, 9)
    assert schedule.proven_optimal


def test_the_minimum_is_capped_by_what_a_delegation_can_attend():
    instance = workshop(
        sessions=("s1", "s2", "s3"),
        rooms=(("r1", 1),),
        delegations=("X", "Y", "Z", "B", Delegation("C", max_attended=1),
                     Delegation("D", unavailable={"s1", "s2"}), "E"),
        offers=(("a", "X"), ("b", "Y"), ("c", "Z")),
        requests=(("B", "a", 1), ("B", "b", 1), ("B", "c", 1), ("C", "a", 1), ("C", "b", 2),
                  ("D", "a", 1), ("D", "b", 2)),
        min_attendees=1,
    )
    compiled = Compiled(instance)
    targets = {compiled.delegation_ids[d]: t for d, t in compiled.round_targets(2).items()}
    # B: the minimum; C: its max_attended; D: one session, one delegate; E asked nothing.
    assert targets == {"B": 2, "C": 1, "D": 1}
    assert compiled.round_targets(0) == {}


def test_fewer_requests_than_the_minimum_count_when_all_are_met():
    # C asked for one program only: it reaches the minimum with that one, so the split
    # serves both B (one of two is below its minimum of two) and C; giving B both reaches B
    # only. Either way one delegation; the share stage then prefers the split.
    instance = workshop(
        sessions=("s1", "s2"),
        rooms=(("r1", 1),),
        delegations=("X", "Y", "Z", "B", "C"),
        offers=(("a", "X"), ("b", "Y"), ("c", "Z")),
        requests=(("B", "a", 1), ("B", "b", 2), ("C", "c", 1)),
        min_attendees=1,
    )
    schedule = quick(instance, objective="fair", min_rounds=2)
    assert attended(schedule) == [("a", "B"), ("c", "C")]
    assert (schedule.min_rounds_reached, schedule.min_rounds_reached_bound) == (1, 1)


def test_min_rounds_is_written_with_the_schedule():
    document = schedule_to_dict(quick(two_tables(), objective="fair", min_rounds=2))
    assert (document["min_rounds"], document["min_rounds_reached"],
            document["min_rounds_reached_bound"]) == (2, 1, 1)
    assert "min_rounds" not in schedule_to_dict(quick(two_tables(), objective="fair"))


def test_the_same_seed_gives_the_same_schedule():
    first = schedule_to_dict(quick(two_tables(c_ranks=(1, 2)), objective="fair", min_rounds=2))
    again = schedule_to_dict(quick(two_tables(c_ranks=(1, 2)), objective="fair", min_rounds=2))
    assert first == again


@pytest.mark.parametrize(("options", "message"), [
    ({"objective": "demand", "min_rounds": 2}, "min_rounds is a target of the fair objective"),
    ({"objective": "fair", "min_rounds": -1}, "min_rounds must be an integer >= 0, got -1"),
    ({"objective": "fair", "min_rounds": 1.5}, "min_rounds must be an integer >= 0, got 1.5"),
])
def test_bad_min_rounds_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        solve(two_tables(), time_limit=5, **options)


def test_the_command_line_takes_min_rounds_with_the_fair_objective(tmp_path, capsys):
    instance = tmp_path / "instance.json"
    instance.write_text(json.dumps(instance_to_dict(two_tables())))
    assert main(["solve", str(instance), "--quiet", "--objective", "fair",
                 "--min-rounds", "2"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["min_rounds_reached"] == 1
    assert document["rounds"][0]["attendees"] == ["B"]
    assert main(["solve", str(instance), "--quiet", "--min-rounds", "2"]) == 2
    assert "--min-rounds needs --objective fair" in capsys.readouterr().err
