"""Publishing, live agenda updates, change emails, agendas, iCalendar and the exports."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from matchmaking.models import Round, ScheduleVersion, SolveJob, SolveJobStatus
from matchmaking.services import agendas, editor, jobs, publishing
from matchmaking.services.adapter import rounds_of
from portal.accounts.roles import Role
from portal.asgi import application
from tests.conftest import make_user
from tests.matchmaking.conftest import committed
from tests.matchmaking.rounds_factories import member, small_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_user(db):
    return make_user(Role.ORGANISER, first_name="Ana", last_name="Organizadora")


@pytest.fixture
def world(organiser_user):
    workshop, _sessions, delegations = small_workshop(organiser=organiser_user,
                                                      min_attendees=1)
    members = {key: member(delegation, email=f"{key.lower()}@example.org",
                           name=f"Delegate of {delegation.name}")
               for key, delegation in delegations.items()}
    return workshop, delegations, members


def publish_now(workshop, user, based_on):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return publishing.publish(workshop, user, based_on=based_on)


def test_publishing_emails_only_the_delegations_whose_rounds_changed(world, organiser_user,
                                                                     settings):
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    workshop, _delegations, _members = world
    publish_now(workshop, organiser_user, 1)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "arg@example.org", "col@example.org", "per@example.org"]
    mail.outbox.clear()
    target = Round.objects.get(version=workshop.current_version, offer__key="col-unidos")
    editor.remove_attendee(workshop, organiser_user, based_on=1, round_id=target.pk,
                           delegation_key="ARG")
    workshop.refresh_from_db()
    publish_now(workshop, organiser_user, 2)
    workshop.refresh_from_db()
    assert workshop.published_version.number == 2
    assert [m.to for m in mail.outbox] == [["arg@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "Cooperation, Bogotá; 2026: your agenda changed"
    assert message.body == (
        "The published agenda of Cooperation, Bogotá; 2026 changed (version 2). For "
        "Argentina:\n\n"
        "Removed:\n"
        "  - Red UNIDOS, presented by Colombia: Tuesday morning, Sala Caribe\n\n"
        "Your agenda: https://portal.example.org/en/workshops/small-workshop/agenda/ARG/")


def test_a_move_is_reported_as_moved(world, organiser_user):
    workshop, _delegations, _members = world
    publish_now(workshop, organiser_user, 1)
    mail.outbox.clear()
    editor.move_round(workshop, organiser_user, based_on=1,
                      round_id=Round.objects.get(version=workshop.current_version,
                                                 offer__key="per-juntos").pk,
                      session_key="s2", room_key="r2")
    workshop.refresh_from_db()
    publish_now(workshop, organiser_user, 2)
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    assert sorted(by_recipient) == ["arg@example.org", "col@example.org", "per@example.org"]
    assert ("Moved:\n  ~ JUNTOS, presented by Peru: Tuesday late morning, Sala Caribe  →  "
            "Tuesday late morning, Sala Andes") in by_recipient["col@example.org"]


def test_publish_refuses_a_stale_or_repeated_publication(world, organiser_user):
    workshop, _delegations, _members = world
    with pytest.raises(editor.StaleVersion):
        publishing.publish(workshop, organiser_user, based_on=7)
    publish_now(workshop, organiser_user, 1)
    with pytest.raises(publishing.PublishRefused, match="already published"):
        publishing.publish(workshop, organiser_user, based_on=1)
    with pytest.raises(publishing.PublishRefused, match="Only the workshop's organisers"):
        publishing.publish(workshop, make_user(Role.ORGANISER), based_on=1)


@committed
def test_open_agenda_pages_hear_of_a_new_publication(reference_data):
    # Committed data: the consumers read the database through Channels' own connections.
    organiser_user = make_user(Role.ORGANISER)
    workshop, _sessions, delegations = small_workshop(organiser=organiser_user)
    members = {"ARG": member(delegations["ARG"])}
    client = Client()
    client.force_login(members["ARG"])
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    outsider = Client()
    outsider.force_login(make_user(Role.COUNTRY_DELEGATE))
    outsider_cookie = f"sessionid={outsider.cookies['sessionid'].value}".encode()

    def headers(value):
        return [(b"cookie", value), (b"origin", b"http://testserver")]

    async def scenario():
        page = WebsocketCommunicator(application, f"/ws/workshops/{workshop.slug}/agenda/",
                                     headers=headers(cookie))
        assert (await page.connect())[0]
        stranger = WebsocketCommunicator(
            application, f"/ws/workshops/{workshop.slug}/agenda/", headers=headers(outsider_cookie))
        refused = await stranger.connect()
        await database_sync_to_async(publish_now)(workshop, organiser_user, 1)
        message = await page.receive_json_from(timeout=5)
        await page.disconnect()
        return refused, message

    refused, message = async_to_sync(scenario)()
    assert refused == (False, 4403)
    assert message == {"kind": "published", "version": 1}


def test_agenda_pages_show_the_published_version_only(world, organiser_user, client):
    workshop, delegations, members = world
    url = reverse("matchmaking:agenda_delegation", args=[workshop.slug, "ARG"])
    client.force_login(members["ARG"])
    html = client.get(url).content.decode()
    assert "The agenda is not published yet." in html
    assert "Red UNIDOS" not in html
    publish_now(workshop, organiser_user, 1)
    html = client.get(url).content.decode()
    assert "Published version 1." in html
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 2
    assert "Red UNIDOS" in rows[0] and "Sala Caribe" in rows[0] and "Colombia" in rows[0]
    assert "JUNTOS" in rows[1] and "Peru" in rows[1] and "Attending" in rows[1]
    # the preview of the working version is for organisers only
    assert "Preview of the working version" not in client.get(url + "?preview=1").content.decode()
    client.force_login(organiser_user)
    assert "Preview of the working version 1" in client.get(url + "?preview=1").content.decode()
    # a delegate's own page shows their delegation's rounds under their name
    delegate = delegations["COL"].members.get()
    client.force_login(members["COL"])
    html = client.get(reverse("matchmaking:agenda_delegate",
                              args=[workshop.slug, delegate.pk])).content.decode()
    assert "Agenda of Delegate of Colombia (Colombia)" in html
    assert "Presenting" in html and "Red UNIDOS" in html


def test_icalendar_download_is_exact(world, organiser_user, client, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    workshop, _delegations, members = world
    ScheduleVersion.objects.filter(pk=workshop.current_version_id).update(
        created_at=datetime(2026, 2, 1, 12, 0, tzinfo=UTC))
    publish_now(workshop, organiser_user, 1)
    client.force_login(members["ARG"])
    response = client.get(reverse("matchmaking:agenda_ics", args=[workshop.slug, "ARG"]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="small-workshop-ARG.ics"'
    assert response.content.decode() == "\r\n".join([
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Social protection cooperation portal//Matchmaking//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Cooperation\\, Bogotá\\; 2026 — Argentina",
        "X-WR-TIMEZONE:America/Bogota",
        "BEGIN:VEVENT",
        "UID:small-workshop-ARG-col-unidos-attending-1@portal.example.org",
        "DTSTAMP:20260201T120000Z",
        "SEQUENCE:1",
        "DTSTART:20260310T140000Z",
        "DTEND:20260310T153000Z",
        "SUMMARY:Red UNIDOS",
        "LOCATION:Sala Caribe\\, Hotel Tequendama",
        "DESCRIPTION:Presenter: Colombia\\nAttending: Peru\\nYour role: Attending",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:small-workshop-ARG-per-juntos-attending-1@portal.example.org",
        "DTSTAMP:20260201T120000Z",
        "SEQUENCE:1",
        "DTSTART:20260310T160000Z",
        "DTEND:20260310T173000Z",
        "SUMMARY:JUNTOS",
        "LOCATION:Sala Caribe\\, Hotel Tequendama",
        "DESCRIPTION:Presenter: Peru\\nAttending: Colombia\\nYour role: Attending",
        "END:VEVENT",
        "END:VCALENDAR",
        ""])


def test_the_feed_needs_its_token(world, organiser_user):
    workshop, delegations, _members = world
    publish_now(workshop, organiser_user, 1)
    anonymous = Client()
    token = agendas.feed_token(delegations["COL"])
    url = reverse("matchmaking:agenda_feed", args=[workshop.slug, "COL", token])
    response = anonymous.get(url)
    assert response.status_code == 200
    assert "SUMMARY:Red UNIDOS" in response.content.decode()
    assert "Content-Disposition" not in response
    wrong = reverse("matchmaking:agenda_feed", args=[workshop.slug, "COL", "0" * 40])
    assert anonymous.get(wrong).status_code == 404
    other = reverse("matchmaking:agenda_feed", args=[workshop.slug, "PER", token])
    assert anonymous.get(other).status_code == 404


def test_long_lines_are_folded_at_75_octets_without_splitting_characters():
    line = "SUMMARY:" + agendas.ical_escape("Programa de Alimentación Escolar; niñas, niños " * 4)
    folded = agendas.fold(line)
    physical = folded.split("\r\n")
    assert len(physical) > 2
    assert all(len(part.encode("utf-8")) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:])
    assert "".join([physical[0]] + [part[1:] for part in physical[1:]]) == line


def test_exports_of_the_schedule(world, organiser_user, client):
    workshop, _delegations, _members = world
    client.force_login(organiser_user)

    def export(file_format):
        return client.get(reverse("matchmaking:schedule_export",
                                  args=[workshop.slug, file_format]))

    rows = list(csv.reader(io.StringIO(export("csv").content.decode())))
    assert rows == [
        ["Session", "Starts", "Ends", "Room", "Offer id", "Offer", "Presenter",
         "Attending delegations", "Pinned"],
        ["Tuesday morning", "2026-03-10T14:00:00+00:00", "2026-03-10T15:30:00+00:00",
         "Sala Caribe", "col-unidos", "Red UNIDOS", "Colombia", "Argentina; Peru", ""],
        ["Tuesday late morning", "2026-03-10T16:00:00+00:00", "2026-03-10T17:30:00+00:00",
         "Sala Caribe", "per-juntos", "JUNTOS", "Peru", "Argentina; Colombia", ""],
    ]
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export("xlsx").content)).active
    assert [cell.value for cell in sheet[2]][:7] == [
        "Tuesday morning", "2026-03-10T14:00:00+00:00", "2026-03-10T15:30:00+00:00",
        "Sala Caribe", "col-unidos", "Red UNIDOS", "Colombia"]
    for response in (export("pdf"),
                     client.get(reverse("matchmaking:schedule_room_sheet",
                                        args=[workshop.slug, "r1"]))):
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    publish_now(workshop, organiser_user, 1)
    agenda_pdf = client.get(reverse("matchmaking:agenda_pdf", args=[workshop.slug, "ARG"]))
    assert agenda_pdf.content.startswith(b"%PDF")


def test_schedule_json_round_trips_through_the_views(world, organiser_user, client):
    workshop, _delegations, _members = world
    client.force_login(organiser_user)
    document = json.loads(client.get(reverse("matchmaking:schedule_export",
                                             args=[workshop.slug, "json"])).content)
    assert document["format"] == "negotiation-rounds-schedule/1"
    upload = io.BytesIO(json.dumps(document).encode())
    upload.name = "schedule.json"
    response = client.post(reverse("matchmaking:schedule_import", args=[workshop.slug]),
                           {"file": upload})
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.current_version.number == 2
    assert workshop.current_version.parent.number == 1
    assert set(rounds_of(workshop.current_version)) == set(
        rounds_of(workshop.schedule_versions.get(number=1)))
    # a schedule breaking the rules is refused whole, with the reason
    document["rounds"][0]["attendees"] = ["COL"]
    bad = io.BytesIO(json.dumps(document).encode())
    bad.name = "bad.json"
    response = client.post(reverse("matchmaking:schedule_import", args=[workshop.slug]),
                           {"file": bad}, follow=True)
    assert "The schedule breaks the workshop&#x27;s rules" in response.content.decode()
    assert workshop.schedule_versions.count() == 2


def test_bilateral_meetings_appear_in_both_agendas(organiser_user, settings):
    settings.MATCHMAKING_SOLVE_RUNNER = "channel"
    workshop, _sessions, delegations = small_workshop(
        "bilateral-workshop", organiser=organiser_user, bilateral=True, schedule=False)
    job = jobs.start_job(workshop, organiser_user, time_limit=5)
    assert job.instance["min_attendees"] == 1
    assert {room["capacity"] for room in job.instance["rooms"]} == {1}
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == SolveJobStatus.SUCCEEDED, job.error
    version = job.result
    rounds = rounds_of(version)
    assert rounds and all(len(r.attendees) == 1 for r in rounds)
    for meeting in rounds:
        presenter = delegations[{"col-unidos": "COL", "per-juntos": "PER",
                                 "arg-auh": "ARG"}[meeting.offer]]
        guest = delegations[meeting.attendees[0]]
        assert meeting.offer in [e.offer.key for e in agendas.agenda(version, presenter)
                                 if e.role == "presenting"]
        assert meeting.offer in [e.offer.key for e in agendas.agenda(version, guest)
                                 if e.role == "attending"]
    # JUNTOS can be presented once, so only one of its two requesters meets Peru
    assert len(rounds) == 3
    assert SolveJob.objects.get(pk=job.pk).fraction == 1.0
