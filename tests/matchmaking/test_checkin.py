"""Check-in on the day: hosts mark who came, replays never count twice, and the attendance
report gives came and no-show figures per round and per delegation."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matchmaking.models import CheckIn, Round, Workshop
from matchmaking.services import checkin
from portal.accounts.roles import Role
from tests.conftest import make_user
from tests.matchmaking.rounds_factories import small_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_user(db):
    return make_user(Role.ORGANISER)


@pytest.fixture
def workshop(organiser_user):
    workshop, _sessions, _delegations = small_workshop(organiser=organiser_user)
    Workshop.objects.filter(pk=workshop.pk).update(published_version=workshop.current_version)
    workshop.refresh_from_db()
    return workshop


@pytest.fixture
def caribe(workshop):
    return workshop.rooms.get(key="r1")


@pytest.fixture
def host(caribe):
    user = make_user(Role.ECOSYSTEM_MEMBER)
    caribe.hosts.add(user)
    caribe.save()
    return user


def round_of(workshop, offer):
    return Round.objects.get(version=workshop.published_version, offer__key=offer)


def mark(workshop, offer, delegation, present=True, *, mark_id, minutes=0):
    moment = timezone.now() - timedelta(minutes=30) + timedelta(minutes=minutes)
    return {"id": mark_id, "round": round_of(workshop, offer).pk, "delegation": delegation,
            "present": present, "at": moment.isoformat()}


def test_a_replayed_mark_is_acknowledged_and_never_counted_twice(workshop, caribe, host):
    marks = [mark(workshop, "col-unidos", "PER", mark_id="phone-0001"),
             mark(workshop, "col-unidos", "ARG", mark_id="phone-0002")]
    first = checkin.record_marks(caribe, host, marks)
    assert (first.accepted, first.duplicates, first.refused) == (
        ["phone-0001", "phone-0002"], [], [])
    again = checkin.record_marks(caribe, host, [
        *marks, mark(workshop, "per-juntos", "COL", mark_id="phone-0003")])
    assert (again.accepted, again.duplicates) == (["phone-0003"], ["phone-0001", "phone-0002"])
    assert CheckIn.objects.count() == 3
    assert CheckIn.objects.get(client_id="phone-0001").marked_by == host
    per_round, _per_delegation = checkin.attendance_report(workshop)
    assert [(f.round.offer.key, f.came) for f in per_round] == [
        ("col-unidos", 2), ("per-juntos", 1)]


def test_bad_marks_are_refused_by_name_and_the_others_stored(workshop, caribe, host):
    andes_round = Round.objects.create(version=workshop.published_version,
                                       offer=workshop.offers.get(key="arg-auh"),
                                       session=workshop.sessions.get(key="s1"),
                                       room=workshop.rooms.get(key="r2"))
    future = timezone.now() + timedelta(hours=2)
    result = checkin.record_marks(caribe, host, [
        mark(workshop, "col-unidos", "PER", mark_id="good-mark-1"),
        {**mark(workshop, "col-unidos", "PER", mark_id="x"), "id": "x"},
        {**mark(workshop, "col-unidos", "PER", mark_id="other-room"), "round": andes_round.pk},
        mark(workshop, "col-unidos", "COL", mark_id="presenter-1"),
        {**mark(workshop, "col-unidos", "ARG", mark_id="not-a-bool"), "present": "yes"},
        {**mark(workshop, "col-unidos", "ARG", mark_id="no-time-1"), "at": "soon"},
        {**mark(workshop, "col-unidos", "ARG", mark_id="future-01"), "at": future.isoformat()},
        "a string",
    ])
    assert result.accepted == ["good-mark-1"]
    assert result.refused == [
        {"id": "x", "error": "A mark needs an id of 8 to 64 letters, digits, - or _."},
        {"id": "other-room", "error": "The round is not one of this room's rounds in the "
                                      "published schedule."},
        {"id": "presenter-1", "error": "COL is not expected at “Red UNIDOS”."},
        {"id": "not-a-bool", "error": "Say whether the delegation came (true or false)."},
        {"id": "no-time-1",
         "error": "The time of the mark is missing or not an ISO date and time."},
        {"id": "future-01", "error": "The mark is dated in the future; check the phone's clock."},
        {"id": "", "error": "A mark must be an object."},
    ]
    assert list(CheckIn.objects.values_list("client_id", flat=True)) == ["good-mark-1"]


def test_only_organisers_and_the_rooms_hosts_check_in(workshop, caribe, host, organiser_user):
    andes = workshop.rooms.get(key="r2")
    with pytest.raises(checkin.CheckInRefused, match="Only the organisers and the hosts of "
                                                     "Sala Andes"):
        checkin.record_marks(andes, host, [])
    for user in (make_user(Role.ORGANISER), make_user(Role.COUNTRY_DELEGATE), None):
        assert not checkin.may_host(user, caribe)
    assert checkin.may_host(host, caribe) and checkin.may_host(organiser_user, andes)
    assert list(checkin.hosted_rooms(host, workshop)) == [caribe]
    Workshop.objects.filter(pk=workshop.pk).update(published_version=None)
    caribe.workshop.refresh_from_db()
    with pytest.raises(checkin.CheckInRefused, match="not published yet"):
        checkin.record_marks(caribe, host, [])


def test_the_latest_mark_counts_and_the_report_gives_no_shows(workshop, caribe, host,
                                                              organiser_user, client):
    checkin.record_marks(caribe, host, [
        # Peru marked, then unmarked by mistake, then marked again: it came.
        mark(workshop, "col-unidos", "PER", mark_id="mark-0001", minutes=0),
        mark(workshop, "col-unidos", "PER", False, mark_id="mark-0002", minutes=1),
        mark(workshop, "col-unidos", "PER", mark_id="mark-0003", minutes=2),
        # Sent late but made before the others: it does not override them.
        mark(workshop, "col-unidos", "PER", False, mark_id="mark-0000", minutes=-5),
    ])
    per_round, per_delegation = checkin.attendance_report(workshop)
    assert [(f.round.offer.key, f.expected, f.came, f.no_shows, f.checked)
            for f in per_round] == [("col-unidos", 2, 1, 1, True),
                                    ("per-juntos", 2, 0, 0, False)]
    assert [(f.delegation.key, f.expected, f.came, f.no_shows, f.not_checked)
            for f in per_delegation] == [("ARG", 2, 0, 1, 1), ("COL", 1, 0, 0, 1),
                                         ("PER", 1, 1, 0, 0)]

    client.force_login(organiser_user)
    page = client.get(reverse("matchmaking:attendance_report", args=[workshop.slug]))
    text = page.content.decode()
    assert page.status_code == 200 and 'id="attendance-rounds"' in text
    assert "not checked in" in text and "No-shows" in text


def test_the_phone_page_and_its_marks_endpoint(workshop, caribe, host, client):
    client.force_login(host)
    page = client.get(reverse("matchmaking:checkin_room", args=[workshop.slug, "r1"]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "matchmaking/checkin.js" in text and "<script>" not in text
    assert text.count('class="checkin-toggle"') == 4  # two rounds, two attendees each
    url = reverse("matchmaking:checkin_marks", args=[workshop.slug, "r1"])
    body = json.dumps({"marks": [mark(workshop, "per-juntos", "ARG", mark_id="json-mark-1")]})
    answer = client.post(url, body, content_type="application/json")
    assert answer.json() == {"accepted": ["json-mark-1"], "duplicates": [], "refused": []}
    answer = client.post(url, body, content_type="application/json")
    assert answer.json() == {"accepted": [], "duplicates": ["json-mark-1"], "refused": []}
    assert client.post(url, "{not json", content_type="application/json").status_code == 400
    assert client.post(url, json.dumps({"marks": "all"}),
                       content_type="application/json").json() == {
        "error": "Send the marks as a list."}
    # Without JavaScript a tap posts the form; the page then shows the delegation as come.
    client.post(reverse("matchmaking:checkin_room", args=[workshop.slug, "r1"]), {
        "mark_id": "form-mark-0001", "round_id": round_of(workshop, "col-unidos").pk,
        "delegation": "PER", "present": "1"})
    assert CheckIn.objects.get(client_id="form-mark-0001").present is True
    page = client.get(reverse("matchmaking:checkin_room", args=[workshop.slug, "r1"]))
    assert 'aria-pressed="true"' in page.content.decode()
    assert client.get(reverse("matchmaking:checkin_room", args=[workshop.slug, "r2"])
                      ).status_code == 403
