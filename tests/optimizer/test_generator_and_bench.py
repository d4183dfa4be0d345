"""The benchmark's instance generator, its report writer, room placement, Santa Marta."""

from collections import Counter

from matchmaking.optimizer import Instance, Room, read_instance, solve
from matchmaking.optimizer.bench.cases import CASES, SANTA_MARTA, with_unavailable
from matchmaking.optimizer.bench.generator import Shape, generate
from matchmaking.optimizer.bench.run import BEGIN, END, repair_changes, write_section
from matchmaking.optimizer.rooms import assign

from .helpers import workshop

SHAPE = Shape(delegations=80, offers=200, sessions=5, rooms=10)


def test_same_seed_same_instance_other_seed_other_instance():
    assert generate(SHAPE, seed=7) == generate(SHAPE, seed=7)
    assert generate(SHAPE, seed=7) != generate(SHAPE, seed=8)


def test_generated_structure_is_realistic():
    instance = generate(SHAPE, seed=1)
    assert isinstance(instance, Instance)
    delegates = Counter(d.delegates for d in instance.delegations)
    assert set(delegates) <= {1, 2, 3, 4, 5} and len(delegates) >= 4
    owners = Counter(o.owner for o in instance.offers)
    # a few delegations own many offers
    assert owners.most_common(1)[0][1] >= 5 * len(instance.offers) / len(instance.delegations)
    popularity = sorted(Counter(r.offer for r in instance.requests).values(), reverse=True)
    # Zipf-popular topics: the top tenth of the requested offers draws far more than its share
    top = popularity[: max(1, len(popularity) // 10)]
    assert sum(top) > 0.25 * sum(popularity)
    assert any(d.unavailable for d in instance.delegations)
    many_rooms = generate(Shape(delegations=20, offers=40, sessions=5, rooms=60), seed=1)
    assert 0 < sum(r.sessions is not None for r in many_rooms.rooms) < 20
    assert instance.min_attendees == 2
    # about two wishes per delegate
    per_delegate = len(instance.requests) / sum(d.delegates for d in instance.delegations)
    assert 1.5 < per_delegate < 2.5


def test_bilateral_shape_follows_format_md():
    instance = generate(Shape(20, 20, 6, 5, bilateral=True), seed=0)
    assert instance.min_attendees == 1
    assert {room.capacity for room in instance.rooms} == {1}
    assert {offer.max_repeats for offer in instance.offers} == {6}


def test_benchmark_cases_have_the_issue_sizes():
    sizes = {name: case.shape and (case.shape.delegations, case.shape.offers,
                                   case.shape.sessions, case.shape.rooms)
             for name, case in CASES.items()}
    assert sizes == {
        "santa-marta": None,
        "small": (30, 60, 4, 6),
        "medium": (120, 300, 6, 15),
        "large": (500, 1500, 10, 40),
        "bilateral": (200, 200, 12, 60),
        "contended": (150, 400, 6, 8),
    }
    assert len(CASES["contended"].instance(0).requests) > 1000


def test_with_unavailable_adds_one_session():
    instance = generate(SHAPE, seed=2)
    changed = with_unavailable(instance, "D001", "s3")
    assert changed.delegation_by_id["D001"].unavailable == (
        instance.delegation_by_id["D001"].unavailable | {"s3"})


def test_report_is_written_only_between_the_markers(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n\n<!-- search:begin -->\nsearch table\n<!-- search:end -->\n")
    write_section(path, "first\n")
    write_section(path, "second\n")
    text = path.read_text()
    assert "search table" in text and "first" not in text
    assert text.count(BEGIN) == 1 and text.endswith(f"{BEGIN}\nsecond\n{END}\n")


def test_repair_picks_are_seeded_and_end_with_the_worst_case():
    instance = generate(SHAPE, seed=3)
    schedule = solve(instance, time_limit=60)
    picks = repair_changes(instance, schedule.rounds, seed=3)
    assert picks == repair_changes(instance, schedule.rounds, seed=3)
    assert [kind for *_pair, kind in picks] == ["random", "random", "random",
                                                "busiest presenter"]


def test_rooms_keep_previous_rooms_then_waste_least():
    instance = workshop(rooms=(Room("big", 6), Room("mid", 4), Room("small", 2)))
    assert assign(instance, "s1", {"a": 2, "b": 3}) == {"a": "small", "b": "mid"}
    assert assign(instance, "s1", {"a": 2, "b": 3}, preferred={"a": "big"}) == {
        "a": "big", "b": "mid"}
    assert assign(instance, "s1", {"a": 2}, fixed={"b": "small"}) == {"a": "mid", "b": "small"}


def test_santa_marta_is_solved_to_optimality_at_once():
    instance = read_instance(SANTA_MARTA)
    assert (len(instance.sessions), len(instance.rooms), len(instance.requests)) == (4, 4, 46)
    schedule = solve(instance, time_limit=30)
    assert schedule.proven_optimal
    assert schedule.score == schedule.upper_bound == 37.2
    assert len(schedule.rounds) == 16
