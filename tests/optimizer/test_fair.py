"""The fair objective: largest smallest share first, then most total weight."""

from matchmaking.optimizer import Delegation, schedule_to_dict

from .helpers import quick, workshop


def starving():
    """Two rounds to give: a and b please B, C and D; only c serves E and F."""
    return workshop(
        sessions=("s1", "s2"),
        rooms=(("r1", 3),),
        delegations=("X", "Y", "Z", "B", "C", "D", "E", "F"),
        offers=(("a", "X"), ("b", "Y"), ("c", "Z")),
        requests=(("B", "a", 1), ("C", "a", 1), ("D", "a", 1),
                  ("B", "b", 2), ("C", "b", 2), ("D", "b", 2),
                  ("E", "c", 1), ("F", "c", 1)),
    )


def test_demand_maximises_total_weight_and_starves_e_and_f():
    schedule = quick(starving(), objective="demand")
    assert {r.offer for r in schedule.rounds} == {"a", "b"}
    assert schedule.score == 5.7 and schedule.proven_optimal
    assert schedule.worst_share == 0.0
    assert schedule.delegations["E"].share == 0.0
    assert schedule.worst_share_bound is None


def test_fair_maximises_the_smallest_share_then_the_total():
    schedule = quick(starving(), objective="fair")
    assert {r.offer for r in schedule.rounds} == {"a", "c"}
    assert schedule.objective == "fair"
    assert schedule.worst_share == round(1.0 / 1.9, 9)
    assert schedule.worst_share_bound == round(1.0 / 1.9, 9)
    # upper_bound of the fair objective: the best score among schedules at least this fair
    assert (schedule.score, schedule.upper_bound, schedule.proven_optimal) == (5.0, 5.0, True)
    shares = {d: s.share for d, s in schedule.delegations.items()}
    assert shares == {"B": 0.526315789, "C": 0.526315789, "D": 0.526315789, "E": 1.0, "F": 1.0}


def test_fair_breaks_ties_of_the_smallest_share_by_total_weight():
    # Serving E is impossible (nobody else wants c, min_attendees 2): E does not count.
    instance = workshop(
        sessions=("s1", "s2"),
        rooms=(("r1", 3),),
        delegations=("X", "Y", "Z", "B", "C", "D", "E"),
        offers=(("a", "X"), ("b", "Y"), ("c", "Z")),
        requests=(("B", "a", 1), ("C", "a", 1), ("D", "a", 1),
                  ("B", "b", 2), ("C", "b", 2), ("E", "c", 1)),
    )
    schedule = quick(instance, objective="fair")
    assert {r.offer for r in schedule.rounds} == {"a", "b"}
    assert schedule.score == 4.8
    assert schedule.delegations["E"].share == 0.0  # reported, but not servable
    assert schedule.worst_share == 1.0  # B, C and D get everything they asked for


def test_fair_with_unavailability_lifts_the_worst_off():
    instance = workshop(
        sessions=("s1", "s2"),
        rooms=(("r1", 2),),
        delegations=("X", "Y", Delegation("B", unavailable={"s2"}), "C", "D"),
        offers=(("a", "X"), ("b", "Y")),
        requests=(("C", "a", 1), ("D", "a", 1), ("B", "b", 1), ("C", "b", 2), ("D", "b", 2)),
    )
    demand = quick(instance, objective="demand")
    fair = quick(instance, objective="fair")
    assert demand.worst_share <= fair.worst_share
    assert fair.worst_share > 0
    assert fair.proven_optimal


def test_fair_output_carries_the_share_certificate():
    document = schedule_to_dict(quick(starving(), objective="fair"))
    assert document["objective"] == "fair"
    assert document["worst_share"] == document["worst_share_bound"] == 0.526315789
    assert set(document["delegations"]["B"]) == {"requested_weight", "met_weight", "share"}
