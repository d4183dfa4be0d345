"""Reading instances: FORMAT.md's invalid cases (each message) and its defaults."""

import copy
import json

import pytest

from matchmaking.optimizer import (
    InvalidInstance,
    InvalidSchedule,
    instance_from_dict,
    instance_to_dict,
    read_instance,
    rounds_from_dict,
)


def broken(document, change):
    document = copy.deepcopy(document)
    change(document)
    return document


def message(document) -> str:
    with pytest.raises(InvalidInstance) as caught:
        instance_from_dict(document)
    return str(caught.value)


def test_example_of_format_md_reads_with_its_defaults(example_document):
    instance = instance_from_dict(example_document)
    assert [s.id for s in instance.sessions] == ["s1", "s2"]
    assert instance.room_by_id["r1"].sessions is None  # every session
    assert instance.room_by_id["r2"].sessions == ("s2",)
    bolivia = instance.delegation_by_id["BOL"]
    assert (bolivia.delegates, bolivia.unavailable, bolivia.max_attended) == (1, frozenset(), None)
    assert instance.offer_by_id["col-unidos"].max_repeats == 1
    assert instance.offer_by_id["per-qaliwarma"].max_repeats == 2
    weights = [r.value for r in instance.requests]
    assert weights == [1.0, 0.9, 2.5]
    assert instance.min_attendees == 2


def test_defaults_when_fields_are_absent():
    instance = instance_from_dict({
        "sessions": [{"id": "s1"}], "rooms": [{"id": "r1", "capacity": 3}],
        "delegations": [{"id": "A"}, {"id": "B"}], "offers": [{"id": "a", "owner": "A"}],
        "requests": [{"delegation": "B", "offer": "a", "rank": 12}],
    })
    assert instance.min_attendees == 2
    assert instance.pinned == ()
    assert instance.requests[0].value == 0.1  # max(1, 11 - 12) / 10


@pytest.mark.parametrize("rank, weight", [(1, 1.0), (2, 0.9), (5, 0.6), (10, 0.1), (11, 0.1)])
def test_rank_rule(rank, weight):
    instance = instance_from_dict({
        "sessions": [], "rooms": [], "delegations": [{"id": "A"}, {"id": "B"}],
        "offers": [{"id": "a", "owner": "A"}],
        "requests": [{"delegation": "B", "offer": "a", "rank": rank}],
    })
    assert instance.requests[0].value == weight


def test_unknown_fields_are_ignored(example_document):
    document = broken(example_document, lambda d: d.update(colour="blue"))
    document["sessions"][0]["projector"] = True
    assert instance_from_dict(document) == instance_from_dict(example_document)


def test_round_trip_through_json(tmp_path, example_document):
    instance = instance_from_dict(example_document)
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(instance_to_dict(instance)))
    assert read_instance(path) == instance


INVALID = [
    ("repeated session id",
     lambda d: d["sessions"].append({"id": "s1"}),
     "sessions[2].id: duplicate id 's1' (also sessions[0])"),
    ("repeated room id",
     lambda d: d["rooms"].append({"id": "r2", "capacity": 3}),
     "rooms[2].id: duplicate id 'r2' (also rooms[1])"),
    ("repeated delegation id",
     lambda d: d["delegations"].append({"id": "PER"}),
     "delegations[3].id: duplicate id 'PER' (also delegations[1])"),
    ("repeated offer id",
     lambda d: d["offers"].append({"id": "col-unidos", "owner": "PER"}),
     "offers[2].id: duplicate id 'col-unidos' (also offers[0])"),
    ("empty id",
     lambda d: d["sessions"][1].update(id=""),
     "sessions[1].id: must be a non-empty string, got ''"),
    ("unknown session of a room",
     lambda d: d["rooms"][1].update(sessions=["s9"]),
     "rooms[1].sessions[0]: unknown session 's9'"),
    ("unknown session of a delegation",
     lambda d: d["delegations"][1].update(unavailable=["s9"]),
     "delegations[1].unavailable: unknown session 's9'"),
    ("unknown owner",
     lambda d: d["offers"][1].update(owner="ARG"),
     "offers[1].owner: unknown delegation 'ARG'"),
    ("unknown requesting delegation",
     lambda d: d["requests"][2].update(delegation="ARG"),
     "requests[2].delegation: unknown delegation 'ARG'"),
    ("unknown requested offer",
     lambda d: d["requests"][1].update(offer="x"),
     "requests[1].offer: unknown offer 'x'"),
    ("unknown pinned offer",
     lambda d: d["pinned"][0].update(offer="x"),
     "pinned[0].offer: unknown offer 'x'"),
    ("unknown pinned session",
     lambda d: d["pinned"][0].update(session="s9"),
     "pinned[0].session: unknown session 's9'"),
    ("unknown pinned room",
     lambda d: d["pinned"][0].update(room="r9"),
     "pinned[0].room: unknown room 'r9'"),
    ("capacity zero",
     lambda d: d["rooms"][0].update(capacity=0),
     "rooms[0].capacity: must be an integer >= 1, got 0"),
    ("capacity not a number",
     lambda d: d["rooms"][0].update(capacity="6"),
     "rooms[0].capacity: must be an integer >= 1, got '6'"),
    ("capacity fractional",
     lambda d: d["rooms"][0].update(capacity=2.5),
     "rooms[0].capacity: must be an integer >= 1, got 2.5"),
    ("delegates zero",
     lambda d: d["delegations"][0].update(delegates=0),
     "delegations[0].delegates: must be an integer >= 1, got 0"),
    ("max_attended negative",
     lambda d: d["delegations"][2].update(max_attended=-1),
     "delegations[2].max_attended: must be an integer >= 0, got -1"),
    ("max_repeats zero",
     lambda d: d["offers"][1].update(max_repeats=0),
     "offers[1].max_repeats: must be an integer >= 1, got 0"),
    ("rank zero",
     lambda d: d["requests"][0].update(rank=0),
     "requests[0].rank: must be an integer >= 1, got 0"),
    ("rank a boolean",
     lambda d: d["requests"][0].update(rank=True),
     "requests[0].rank: must be an integer >= 1, got True"),
    ("weight negative",
     lambda d: d["requests"][2].update(weight=-2.5),
     "requests[2].weight: must be a number >= 0, got -2.5"),
    ("weight not a number",
     lambda d: d["requests"][2].update(weight="heavy"),
     "requests[2].weight: must be a number >= 0, got 'heavy'"),
    ("min_attendees negative",
     lambda d: d.update(min_attendees=-1),
     "min_attendees: must be an integer >= 0, got -1"),
    ("request of one's own offer",
     lambda d: d["requests"].append({"delegation": "COL", "offer": "col-unidos", "rank": 1}),
     "requests[3].offer: delegation 'COL' requests its own offer 'col-unidos'"),
    ("the same offer requested twice",
     lambda d: d["requests"].append({"delegation": "BOL", "offer": "col-unidos", "rank": 3}),
     "requests[3].offer: delegation 'BOL' already requests offer 'col-unidos' in requests[1]"),
    ("two pins in one session and room",
     lambda d: d["pinned"].append({"offer": "per-qaliwarma", "session": "s2", "room": "r1"}),
     "pinned[1]: session 's2' and room 'r1' are already pinned by pinned[0]"),
    ("a pin in a room that is closed in that session",
     lambda d: d["pinned"].append({"offer": "per-qaliwarma", "session": "s1", "room": "r2"}),
     "pinned[1].room: room 'r2' is not available in session 's1'"),
    ("missing capacity",
     lambda d: d["rooms"][0].pop("capacity"),
     "rooms[0].capacity: required"),
    ("missing owner",
     lambda d: d["offers"][0].pop("owner"),
     "offers[0].owner: required"),
    ("missing rank",
     lambda d: d["requests"][0].pop("rank"),
     "requests[0].rank: required"),
    ("missing sessions",
     lambda d: d.pop("sessions"),
     "sessions: required"),
    ("rooms not a list",
     lambda d: d.update(rooms={"r1": 6}),
     "rooms: must be a list, got dict"),
    ("an entry that is not an object",
     lambda d: d["delegations"].append("ARG"),
     "delegations[3]: must be an object, got 'ARG'"),
    ("another format",
     lambda d: d.update(format="negotiation-rounds/2"),
     "format: expected 'negotiation-rounds/1', got 'negotiation-rounds/2'"),
]


@pytest.mark.parametrize("change, expected", [case[1:] for case in INVALID],
                         ids=[case[0] for case in INVALID])
def test_invalid_instance_names_entry_and_field(example_document, change, expected):
    assert message(broken(example_document, change)) == expected


def test_invalid_error_carries_where_and_problem(example_document):
    document = broken(example_document, lambda d: d["requests"][1].update(offer="x"))
    with pytest.raises(InvalidInstance) as caught:
        instance_from_dict(document)
    assert (caught.value.where, caught.value.problem) == ("requests[1].offer",
                                                          "unknown offer 'x'")


def test_unreadable_files(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(InvalidInstance, match=r"^\(document\): instance .* is not valid JSON"):
        read_instance(path)
    with pytest.raises(InvalidInstance, match=r"^\(document\): cannot read instance"):
        read_instance(tmp_path / "missing.json")


@pytest.mark.parametrize("document, expected", [
    ([], "(document): must be a JSON object"),
    ({"rounds": 3}, "rounds: required, a list"),
    ({"rounds": [{"offer": "a", "session": "s1"}]}, "rounds[0].room: must be a non-empty string"),
    ({"rounds": [{"offer": "a", "session": "s1", "room": "r1", "attendees": "B"}]},
     "rounds[0].attendees: must be a list of delegation ids"),
    ({"format": "other", "rounds": []},
     "format: expected 'negotiation-rounds-schedule/1', got 'other'"),
])
def test_malformed_schedule_documents(document, expected):
    with pytest.raises(InvalidSchedule) as caught:
        rounds_from_dict(document)
    assert str(caught.value) == expected
