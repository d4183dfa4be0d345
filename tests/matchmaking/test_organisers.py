"""What organisers do: set up in the admin, read the dashboard, remind, import and export."""

import json
from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from matchmaking import demo
from matchmaking.models import Delegate, RequestReminder, Session, Workshop
from matchmaking.services.dashboard import (
    demand_by_topic,
    demand_matrix,
    silent_delegations,
    unrequested_offers,
)
from matchmaking.services.reminders import send_request_reminders
from portal.accounts.roles import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_demand_matrix_and_topics_count_table_1(santa_marta):
    delegations, rows, totals = demand_matrix(santa_marta)
    assert sum(totals) == sum(total for _d, _cells, total in rows) == 46
    keys = [d.key for d in delegations]
    bolivia = next(cells for demanding, cells, _t in rows if demanding.key == "BOL")
    assert bolivia[keys.index("BRA")] == 2  # Table 1: Bolivia asks Brazil for two programs
    topics = demand_by_topic(santa_marta)
    assert topics[0].requests >= topics[-1].requests
    assert sum(t.requests for t in topics) >= 46
    requested_keys = {r.offer.key for d in delegations for r in d.requests.all()}
    assert {o.key for o in unrequested_offers(santa_marta)}.isdisjoint(requested_keys)
    assert {d.key for d in silent_delegations(santa_marta)} == {
        d.key for d in delegations if not d.requests.exists()}


def test_reminders_reach_silent_delegations_once_a_day(santa_marta, delegate, organiser):
    santa_marta.delegations.get(key="GTM").requests.all().delete()
    silent = silent_delegations(santa_marta)
    assert silent, "the seed has delegations without requests"
    target = silent[0]
    Delegate.objects.create(delegation=target, name="Named", email="named@example.gov")
    Delegate.objects.create(delegation=target, name="Linked", user=delegate)
    reminded, already, unreachable = send_request_reminders(
        santa_marta, sent_by=organiser, today=date(2026, 11, 23))
    assert (reminded, already) == ([target], [])
    assert len(unreachable) == len(silent) - 1
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"named@example.gov", delegate.email}
    assert f"/delegations/{target.key}/requests/" in mail.outbox[0].body
    again = send_request_reminders(santa_marta, today=date(2026, 11, 23))
    assert again[0] == [] and again[1] == [target]
    assert len(mail.outbox) == 1
    send_request_reminders(santa_marta, today=date(2026, 11, 24))
    assert len(mail.outbox) == 2
    assert RequestReminder.objects.filter(delegation=target).count() == 2


def test_dashboard_page_shows_matrix_chart_and_sends_reminders(client, santa_marta,
                                                                organiser):
    santa_marta.organisers.add(organiser)
    santa_marta.organisers.commit()
    santa_marta.delegations.get(key="GTM").requests.all().delete()
    client.force_login(organiser)
    content = client.get(f"/en/workshops/{santa_marta.slug}/dashboard/").content.decode()
    assert "Demand matrix" in content and "<svg" in content and "<rect" in content
    assert 'style="' not in content.split("<main", 1)[1]
    response = client.post(f"/en/workshops/{santa_marta.slug}/dashboard/reminders/",
                           follow=True)
    assert "No e-mail address for" in response.content.decode()


def test_export_then_import_through_the_pages(client, santa_marta, organiser):
    santa_marta.organisers.add(organiser)
    santa_marta.organisers.commit()
    client.force_login(organiser)
    response = client.get(f"/en/workshops/{santa_marta.slug}/export.json")
    document = json.loads(response.content)
    assert document["format"] == "negotiation-rounds/1"
    assert len(document["requests"]) == 46
    upload = SimpleUploadedFile("w.json", response.content, content_type="application/json")
    response = client.post("/en/workshops/import/", {"file": upload, "slug": "copy-of-it"})
    assert response.status_code == 302
    copy = Workshop.objects.get(slug="copy-of-it")
    assert copy.organisers.filter(pk=organiser.pk).exists()
    assert copy.delegations.get(key="COL").kind == "country"
    assert copy.sessions.first().starts_at == santa_marta.sessions.first().starts_at


@pytest.mark.parametrize(("content", "message"), [
    (b"{not json", "not valid JSON (line 1"),
    (b"[]", "one JSON object"),
    (json.dumps({"format": "negotiation-rounds/1", "sessions": []}).encode(), "rooms"),
])
def test_import_refuses_bad_files_and_writes_nothing(client, organiser, content, message):
    client.force_login(organiser)
    upload = SimpleUploadedFile("bad.json", content, content_type="application/json")
    response = client.post("/en/workshops/import/", {"file": upload, "slug": "bad"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Workshop.objects.exists()


def test_import_reports_the_exchange_error(client, organiser):
    client.force_login(organiser)
    document = demo.document()
    document["workshop"]["time_zone"] = "Mars/Olympus"
    upload = SimpleUploadedFile("w.json", json.dumps(document).encode())
    response = client.post("/en/workshops/import/", {"file": upload})
    assert "workshop.time_zone: unknown time zone" in response.content.decode()
    assert not Workshop.objects.exists()


def rows(items):
    """An inline formset whose rows with an id are the existing ones (listed first)."""
    items = list(items)
    return inline_formset(items, initial=sum(1 for item in items if item.get("id")))


def workshop_form(workshop, sessions=(), rooms=(), delegations=(), **fields):
    data = {
        "name": workshop.name, "slug": workshop.slug, "description": "",
        "starts_on": "2012-10-31", "ends_on": "2012-11-02", "venue": "Santa Marta",
        "time_zone": "America/Bogota",
        "min_attendees": "2", "max_requests": "10", "offers_deadline": "",
        "requests_deadline": "",
        "sessions": rows(sessions),
        "delegations": rows(delegations),
    }
    data.update(fields)
    # nested_form_data numbers list items; multiple choices post as repeated keys instead.
    room_sessions = {f"rooms-{index}-sessions": room.pop("sessions", [])
                     for index, room in enumerate(rooms)}
    data["rooms"] = rows(rooms)
    return {**nested_form_data(data), **room_sessions,
            "organisers": [user.pk for user in workshop.organisers.all()]}


def session_row(session=None, **values):
    row = {"id": session.pk if session else "", "key": session.key if session else "new",
           "label": "", "starts_at": "2012-11-01 09:00", "ends_at": "2012-11-01 10:30"}
    row.update(values)
    return row


def test_organiser_edits_sessions_and_errors_name_the_field(client, organiser):
    workshop = Workshop.objects.create(name="Small", slug="small", starts_on=date(2012, 10, 31),
                                       ends_on=date(2012, 11, 2), time_zone="America/Bogota")
    workshop.organisers.add(organiser)
    workshop.save()
    other = Workshop.objects.create(name="Other", slug="other", starts_on=date(2012, 1, 1),
                                    ends_on=date(2012, 1, 1))
    foreign = Session.objects.create(workshop=other, key="x", starts_at="2012-01-01T10:00Z",
                                     ends_at="2012-01-01T11:00Z")
    client.force_login(organiser)
    url = f"/admin/snippets/matchmaking/workshop/edit/{workshop.pk}/"
    response = client.post(url, workshop_form(workshop, sessions=[
        session_row(key="s1", ends_at="2012-11-01 08:00")]))
    assert "A session must end after it starts." in response.content.decode()
    assert not workshop.sessions.exists()

    response = client.post(url, workshop_form(workshop, sessions=[session_row(key="s1")]))
    assert response.status_code == 302, response.content.decode()[:3000]
    session = workshop.sessions.get()
    # Typed in the workshop's time zone (Bogotá, UTC-5), whatever the organiser's.
    assert session.starts_at == datetime(2012, 11, 1, 14, 0, tzinfo=UTC)

    response = client.post(url, workshop_form(workshop, sessions=[session_row(session)], rooms=[
        {"id": "", "key": "r1", "name": "Room 1", "capacity": "8",
         "sessions": [foreign.pk]}]))
    assert "Choose only sessions of this workshop" in response.content.decode()
    assert not workshop.rooms.exists()
    response = client.post(url, workshop_form(workshop, sessions=[session_row(session)], rooms=[
        {"id": "", "key": "r1", "name": "Room 1", "capacity": "8",
         "sessions": [session.pk]}]))
    assert response.status_code == 302
    assert list(workshop.rooms.get().sessions.all()) == [session]

    response = client.post(url, workshop_form(workshop, sessions=[
        session_row(session, starts_at="2012-12-01 09:00", ends_at="2012-12-01 10:00")]))
    assert "outside the workshop&#x27;s days" in response.content.decode()


def test_only_the_workshops_own_organisers_open_it_in_the_admin(client, santa_marta):
    own = make_user(Role.ORGANISER)
    stranger = make_user(Role.ORGANISER)
    santa_marta.organisers.add(own)
    santa_marta.save()
    url = f"/admin/snippets/matchmaking/workshop/edit/{santa_marta.pk}/"
    client.force_login(own)
    assert client.get(url).status_code == 200
    client.force_login(stranger)
    assert client.get(url).status_code in (302, 403)
    listing = client.get("/admin/snippets/matchmaking/workshop/").content.decode()
    assert santa_marta.name not in listing


def test_demo_workshop_is_ready_and_loads_idempotently(demo_data):
    workshop = Workshop.objects.get(slug=demo.SLUG)
    assert workshop.offers.filter(profile__isnull=False).count() == 34
    assert workshop.organisers.filter(email="organiser@example.org").exists()
    assert workshop.delegations.get(key="COL").members.filter(
        user__email="delegate.col@example.org").exists()
    first = workshop.sessions.first()
    assert first.starts_at.isoformat() == "2012-11-01T14:00:00+00:00"  # 09:00 in Bogotá
    demo.load(open("/dev/null", "w"))  # noqa: SIM115
    assert Workshop.objects.filter(slug=demo.SLUG).count() == 1
    assert Delegate.objects.filter(delegation__workshop=workshop).count() == 2


def test_public_pages_show_session_times_in_the_workshops_zone(client, santa_marta):
    assert santa_marta.name in client.get("/en/workshops/").content.decode()
    content = client.get(f"/en/workshops/{santa_marta.slug}/").content.decode()
    assert "Nov. 1, 2012, 9 a.m." in content
    assert "Qali Warma" in content
    assert "delegations/COL/requests/" not in content  # no delegation's pages for visitors


def test_organiser_names_delegates_and_links_accounts(client, santa_marta, organiser,
                                                      delegate):
    santa_marta.organisers.add(organiser)
    santa_marta.save()
    other = Workshop.objects.create(name="Other", slug="other", starts_on=date(2012, 1, 1),
                                    ends_on=date(2012, 1, 1))
    foreign = Session.objects.create(workshop=other, key="x", starts_at="2012-01-01T10:00Z",
                                     ends_at="2012-01-01T11:00Z")
    per = santa_marta.delegations.get(key="PER")
    client.force_login(organiser)
    url = f"/admin/snippets/matchmaking/delegation/edit/{per.pk}/"

    def form(sessions):
        data = nested_form_data({
            "workshop": santa_marta.pk, "key": "PER", "kind": "country",
            "country": per.country_id, "institution": "", "name": "Peru", "delegates": "4",
            "max_attended": "",
            "members": inline_formset([{"id": "", "name": "Pedro", "email": "",
                                        "user": delegate.pk}]),
        })
        return {**data, "unavailable_sessions": [session.pk for session in sessions]}

    response = client.post(url, form([foreign]))
    assert "Choose only sessions of this workshop" in response.content.decode()
    assert not per.members.exists()
    response = client.post(url, form([santa_marta.sessions.get(key="s4")]))
    assert response.status_code == 302
    assert per.members.get().user == delegate
    assert [s.key for s in per.unavailable_sessions.all()] == ["s4"]
    stranger = make_user(Role.ORGANISER)
    client.force_login(stranger)
    assert client.get(url).status_code in (302, 403)
