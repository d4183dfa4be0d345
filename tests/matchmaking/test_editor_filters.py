"""The schedule editor at trade-fair size: filters by room, session, delegation and topic,
rooms paged, one edit panel, a constant number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchmaking.models import Round
from matchmaking.optimizer.bench.trade_fair import TradeFairShape
from matchmaking.services import editor
from matchmaking.services.samples import create_trade_fair
from matchmaking.services.schedule_filters import ROOMS_PER_PAGE
from portal.accounts.roles import Role
from tests.conftest import make_user

SHAPE = TradeFairShape(rooms=15, sessions=3, rounds=40, delegations=20)


@pytest.fixture
def organiser_user(db):
    return make_user(Role.ORGANISER, first_name="Ana", last_name="Organizadora")


@pytest.fixture
def fair(organiser_user):
    # Created without an author, as `create_trade_fair` does from the command line: the
    # versions list must cope with a version nobody signed.
    workshop = create_trade_fair(slug="fair", shape=SHAPE)
    workshop.organisers.add(organiser_user)
    workshop.save()
    return workshop


@pytest.fixture
def editor_page(client, organiser_user, fair):
    client.force_login(organiser_user)

    def get(query=""):
        response = client.get(reverse("matchmaking:schedule_editor", args=[fair.slug]) + query)
        assert response.status_code == 200
        return response.content.decode()
    return get


def shown_rounds(html):
    return {int(pk) for pk in re.findall(r'<article id="round-(\d+)"', html)}


def room_headers(html):
    head = html.split('<table class="rounds-grid">')[1].split("</thead>")[0]
    return re.findall(r'<th scope="col">(Room \d+|r\d+)', head)


def rounds_where(fair, **lookups):
    return set(Round.objects.filter(version=fair.current_version, **lookups)
               .values_list("pk", flat=True))


def test_without_filters_the_rooms_come_in_pages(fair, editor_page):
    first = editor_page()
    assert "40 rounds." in first
    assert f"Rooms 1 to {ROOMS_PER_PAGE} of 15." in first
    assert room_headers(first) == [f"r{n:03d}" for n in range(1, ROOMS_PER_PAGE + 1)]
    second = editor_page("?page=2")
    assert room_headers(second) == ["r013", "r014", "r015"]
    on_pages = shown_rounds(first) | shown_rounds(second)
    assert on_pages == rounds_where(fair)


def test_the_room_filter_shows_one_column(fair, editor_page):
    html = editor_page("?room=r002")
    assert room_headers(html) == ["r002"]
    assert shown_rounds(html) == rounds_where(fair, room__key="r002")
    assert "3 rounds of 40 match." in html


def test_the_session_filter_shows_one_row(fair, editor_page):
    html = editor_page("?session=s2")
    assert shown_rounds(html) <= rounds_where(fair, session__key="s2")
    assert html.count('<th scope="row">') == 1
    matching = len(rounds_where(fair, session__key="s2"))
    assert f"{matching} rounds of 40 match." in html


def test_the_delegation_filter_shows_its_rounds_and_mutes_the_others(fair, editor_page):
    delegation = fair.delegations.get(key="d0003")
    involved = (rounds_where(fair, offer__delegation=delegation)
                | rounds_where(fair, attendees=delegation))
    assert involved
    html = editor_page("?delegation=d0003")
    assert shown_rounds(html) == involved
    # Other rounds in the same rooms stay visible as taken cells, without their details.
    rooms = set(Round.objects.filter(pk__in=involved).values_list("room__key", flat=True))
    assert set(room_headers(html)) == rooms
    others = Round.objects.filter(version=fair.current_version, room__key__in=rooms).exclude(
        pk__in=involved)
    assert html.count("not matching the filters") == others.count()


def test_the_topic_filter_uses_the_offers_topics(fair, editor_page):
    topic = fair.offers.order_by("key").first().topics[0]
    expected = {pk for pk, topics in Round.objects.filter(version=fair.current_version)
                .values_list("pk", "offer__topics") if topic in topics}
    html = editor_page(f"?topic={topic}")
    pages = [html]
    if "Next rooms" in html:
        pages.append(editor_page(f"?topic={topic}&page=2"))
    assert set().union(*map(shown_rounds, pages)) == expected


def test_filters_combine(fair, editor_page):
    html = editor_page("?room=r001&session=s1")
    assert shown_rounds(html) == rounds_where(fair, room__key="r001", session__key="s1")
    assert "1 round of 40 matches." in html


def test_an_unknown_filter_value_is_named_and_ignored(fair, editor_page):
    html = editor_page("?room=r999&session=s1")
    assert "“r999” is not one of this workshop&#x27;s choices; showing every one instead." in html
    assert shown_rounds(html) <= rounds_where(fair, session__key="s1")


def test_one_edit_panel_for_the_round_being_edited(fair, editor_page):
    target = Round.objects.filter(version=fair.current_version, room__key="r001").first()
    plain = editor_page("?room=r001")
    assert 'id="edit-panel"' not in plain
    assert 'name="action"' not in plain.split('<table class="rounds-grid">')[1]
    html = editor_page(f"?room=r001&edit={target.pk}")
    panel = html.split('id="edit-panel"')[1].split("</section>")[0]
    assert f'name="round_id" value="{target.pk}"' in panel
    # Every other round is offered for a swap, every free usable cell for a move.
    assert panel.count('name="other_round_id"') == 1
    swap = panel.split('name="other_round_id">')[1].split("</select>")[0]
    assert swap.count("<option") == 39
    move = panel.split('name="target">')[1].split("</select>")[0]
    assert move.count("<option") == 15 * 3 - 40
    assert 'name="view" value="room=r001"' in panel


def test_an_edit_returns_to_the_same_filters(client, fair, organiser_user):
    client.force_login(organiser_user)
    target = Round.objects.filter(version=fair.current_version, room__key="r004").first()
    response = client.post(reverse("matchmaking:schedule_edit", args=[fair.slug]), {
        "action": "pin", "based_on": fair.current_version.number, "round_id": target.pk,
        "view": "room=r004&delegation=nobody&page=1"})
    assert response.status_code == 302
    # Values that are not valid are dropped again on the way back.
    assert response["Location"] == reverse("matchmaking:schedule_editor",
                                           args=[fair.slug]) + "?room=r004"


def test_a_refused_edit_keeps_the_filters_and_opens_the_panel(client, fair, organiser_user):
    client.force_login(organiser_user)
    target = Round.objects.filter(version=fair.current_version, room__key="r003").first()
    outsider = fair.delegations.exclude(pk__in=target.attendees.all()).exclude(
        pk=target.offer.delegation_id).exclude(requests__offer=target.offer).first()
    response = client.post(reverse("matchmaking:schedule_edit", args=[fair.slug]), {
        "action": "add_attendee", "based_on": fair.current_version.number,
        "round_id": target.pk, "delegation_key": outsider.key, "view": "room=r003"})
    assert response.status_code == 400
    html = response.content.decode()
    assert room_headers(html) == ["r003"]
    panel = html.split('id="edit-panel"')[1].split("</section>")[0]
    assert "Rule 3 (attendees requested the offer)" in panel


def test_the_editor_issues_the_same_queries_whatever_the_size(client, organiser_user):
    # Both fairs list their unmet requests (40 delegations at most), as they differ in rooms,
    # rounds, delegations, pinned rounds and pages.
    client.force_login(organiser_user)
    client.get(reverse("matchmaking:workshop_list"))  # the first request creates profile rows
    counts = []
    for slug, shape in (("small-fair", TradeFairShape(rooms=6, sessions=2, rounds=10,
                                                      delegations=12)),
                        ("large-fair", TradeFairShape(rooms=30, sessions=4, rounds=110,
                                                      delegations=40))):
        workshop = create_trade_fair(slug=slug, organiser=organiser_user, shape=shape)
        editor.set_pinned(workshop, organiser_user, based_on=1,
                          round_id=workshop.current_version.rounds.first().pk, pinned=True)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("matchmaking:schedule_editor", args=[slug]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_many_delegations_unmet_requests_are_listed_one_delegation_at_a_time(
        client, organiser_user):
    client.force_login(organiser_user)
    create_trade_fair(slug="crowded", organiser=organiser_user, shape=TradeFairShape(
        rooms=10, sessions=2, rounds=20, delegations=45))
    url = reverse("matchmaking:schedule_editor", args=["crowded"])
    html = client.get(url).content.decode()
    unmet = html.split('id="unmet-heading"')[1].split("</section>")[0]
    assert "45 delegations have unmet requests." in unmet
    assert "<h3>" not in unmet
    one = client.get(url + "?delegation=d0007").content.decode()
    unmet = one.split('id="unmet-heading"')[1].split("</section>")[0]
    assert re.findall(r"<h3>(.*?)</h3>", unmet) == ["Delegation 7"]
