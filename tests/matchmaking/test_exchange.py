"""The workshop round-trips through the exchange format, and the adapter maps rows exactly."""

import json
from pathlib import Path

import pytest

from matchmaking import optimizer
from matchmaking.models import Delegation, Offer, Request, Round, VersionSource
from matchmaking.services.adapter import instance_for, rounds_of, save_version
from matchmaking.services.exchange import (
    ExchangeError,
    export_instance,
    export_schedule,
    import_schedule,
    import_workshop,
)

pytestmark = pytest.mark.django_db

SANTA_MARTA = Path(__file__).resolve().parents[2] / "matchmaking/data/santa_marta_2012.json"


@pytest.fixture
def santa_marta_document():
    document = json.loads(SANTA_MARTA.read_text())
    document["workshop"] = {"slug": "santa-marta-2012", "starts_on": "2012-10-31",
                            "ends_on": "2012-11-02", "time_zone": "America/Bogota"}
    return document


def comparable(document):
    """FORMAT.md's own fields, as the optimiser reads them."""
    return optimizer.instance_to_dict(optimizer.instance_from_dict(document))


def test_import_creates_every_row(santa_marta_document):
    workshop = import_workshop(santa_marta_document)
    assert workshop.sessions.count() == 4
    assert workshop.rooms.count() == 4
    assert Delegation.objects.filter(workshop=workshop).count() == 15
    assert Offer.objects.filter(workshop=workshop).count() == 34
    assert Request.objects.filter(delegation__workshop=workshop).count() == 46
    mercosur = Delegation.objects.get(workshop=workshop, key="mercosur-ism")
    assert mercosur.kind == "subregional_mechanism"
    assert Delegation.objects.get(workshop=workshop, key="COL").country.iso3 == "COL"


def test_export_of_an_import_is_the_same_instance(santa_marta_document):
    workshop = import_workshop(santa_marta_document)
    exported = export_instance(workshop)
    assert comparable(exported) == comparable(santa_marta_document)
    again = import_workshop(exported, slug="santa-marta-copy")
    assert comparable(export_instance(again)) == comparable(santa_marta_document)
    assert [s["starts_at"] for s in export_instance(again)["sessions"]] == [
        s["starts_at"] for s in exported["sessions"]]


def test_schedule_round_trip_through_the_optimiser(santa_marta_document):
    workshop = import_workshop(santa_marta_document)
    instance = instance_for(workshop)
    schedule = optimizer.solve(instance, time_limit=20, seed=0)
    version = save_version(workshop, schedule.rounds, source=VersionSource.OPTIMISER,
                           instance=instance, schedule=schedule)
    assert version.number == 1
    assert version.score == pytest.approx(schedule.score)
    assert set(rounds_of(version)) == {
        optimizer.Round(r.offer, r.session, r.room, tuple(sorted(r.attendees)))
        for r in schedule.rounds}
    document = export_schedule(version)
    copy = import_schedule(workshop, document)
    assert copy.number == 2
    assert set(rounds_of(copy)) == set(rounds_of(version))
    assert copy.score == version.score
    assert document["unmet"] == version.report["unmet"]


def test_a_schedule_breaking_the_rules_is_refused_whole(santa_marta_document):
    workshop = import_workshop(santa_marta_document)
    offer = Offer.objects.filter(workshop=workshop).first()
    bad = {"format": "negotiation-rounds-schedule/1", "rounds": [
        {"offer": offer.key, "session": "s1", "room": "r1", "attendees": ["URY", "PER"]},
        {"offer": offer.key, "session": "s1", "room": "r2", "attendees": []},
    ], "score": 0}
    with pytest.raises(ExchangeError, match="breaks the workshop's rules"):
        import_schedule(workshop, bad)
    assert not Round.objects.filter(version__workshop=workshop).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["requests"].append(dict(d["requests"][0])), r"requests\[46\]"),
        (lambda d: d["offers"][0].update(owner="XXX"), r"offers\[0\]\.owner"),
        (lambda d: d["workshop"].update(starts_on="1 Nov"), "workshop.starts_on"),
        (lambda d: d["workshop"].update(time_zone="Mars/Olympus"), "workshop.time_zone"),
        (lambda d: d["delegations"][13].update(institutions=["unknown-body"]),
             r"delegations\[13\]: “unknown-body”"),
    ],
)
def test_invalid_documents_name_the_entry_and_write_nothing(santa_marta_document, change,
                                                            message):
    change(santa_marta_document)
    with pytest.raises(ExchangeError, match=message):
        import_workshop(santa_marta_document)
    assert not Delegation.objects.exists()


def test_room_sessions_and_unavailability_survive_the_round_trip(santa_marta_document):
    santa_marta_document["rooms"][3]["sessions"] = ["s1", "s2"]
    santa_marta_document["delegations"][0]["unavailable"] = ["s4"]
    workshop = import_workshop(santa_marta_document)
    assert [s.key for s in workshop.rooms.get(key="r4").sessions.all()] == ["s1", "s2"]
    bolivia = Delegation.objects.get(workshop=workshop, key="BOL")
    assert [s.key for s in bolivia.unavailable_sessions.all()] == ["s4"]
    exported = export_instance(workshop)
    assert comparable(exported) == comparable(santa_marta_document)
