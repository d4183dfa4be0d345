"""A room's host checks delegations in on a phone that loses its connection: the marks wait
in the browser, arrive when the network returns, and a replay of them counts nothing twice."""

import json
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import save_screenshot, sign_in

INSTANCE = {
    "format": "negotiation-rounds/1",
    "name": "Check-in day",
    "min_attendees": 2,
    "sessions": [{"id": "s1", "label": "Morning"}, {"id": "s2", "label": "Afternoon"}],
    "rooms": [{"id": "r1", "name": "Sala Caribe", "capacity": 4},
              {"id": "r2", "name": "Sala Andes", "capacity": 4}],
    "delegations": [{"id": key, "name": name, "delegates": 2} for key, name in (
        ("COL", "Colombia"), ("PER", "Peru"), ("ARG", "Argentina"))],
    "offers": [{"id": "col-unidos", "owner": "COL", "title": "Red UNIDOS"},
               {"id": "per-juntos", "owner": "PER", "title": "JUNTOS"}],
    "requests": [{"delegation": "PER", "offer": "col-unidos", "rank": 1},
                 {"delegation": "ARG", "offer": "col-unidos", "rank": 1},
                 {"delegation": "COL", "offer": "per-juntos", "rank": 1},
                 {"delegation": "ARG", "offer": "per-juntos", "rank": 2}],
    "workshop": {"slug": "checkin-day", "starts_on": "2026-03-10", "time_zone": "America/Bogota"},
}
SCHEDULE = {
    "format": "negotiation-rounds-schedule/1",
    "rounds": [{"offer": "col-unidos", "session": "s1", "room": "r1", "attendees": ["ARG", "PER"]},
               {"offer": "per-juntos", "session": "s2", "room": "r1",
                "attendees": ["ARG", "COL"]}],
}
PUBLISH = ("from matchmaking.models import Workshop; "
           "w = Workshop.objects.get(slug='checkin-day'); "
           "w.published_version = w.current_version; w.save()")
COUNT = ("from matchmaking.models import CheckIn; "
         "print(sorted((c.delegation.key, c.present) for c in "
         "CheckIn.objects.filter(round__version__workshop__slug='checkin-day')))")


def marks_stored(portal):
    return portal.manage("shell", "-v0", "-c", COUNT).stdout.strip()


def test_marks_made_offline_arrive_once_the_connection_returns(live_portal, phone_page,
                                                               tmp_path):
    instance, schedule = Path(tmp_path) / "instance.json", Path(tmp_path) / "schedule.json"
    instance.write_text(json.dumps(INSTANCE))
    schedule.write_text(json.dumps(SCHEDULE))
    live_portal.manage("import_workshop", str(instance), "--organiser", "organiser@example.org",
                       "--schedule", str(schedule))
    live_portal.manage("shell", "-v0", "-c", PUBLISH)

    page = phone_page
    sign_in(page, live_portal, "organiser@example.org", "Organiser-demo-2026", "es")
    page.goto(f"{live_portal.url}/es/workshops/checkin-day/checkin/r1/")
    expect(page.get_by_role("heading", name="Registro de asistencia: Sala Caribe")).to_be_visible()
    status = page.locator("#checkin-status")
    peru = page.locator('.checkin-toggle[data-delegation="PER"]')
    argentina = page.locator('.checkin-toggle[data-delegation="ARG"]').first

    page.context.set_offline(True)
    peru.click()
    argentina.click()
    expect(peru).to_have_attribute("aria-pressed", "true")
    expect(argentina).to_have_attribute("aria-pressed", "true")
    expect(status).to_have_text("2 marca(s) esperan la conexión.")
    expect(peru.locator(".checkin-state")).to_have_text("Llegó (pendiente de envío)")
    assert marks_stored(live_portal) == "[]"
    queued = page.evaluate("window.localStorage.getItem('checkin:checkin-day:r1')")
    assert len(json.loads(queued)) == 2
    save_screenshot(page, "workshop-checkin-offline")

    page.context.set_offline(False)
    expect(status).to_have_text("Todas las marcas se enviaron.", timeout=20_000)
    expect(peru.locator(".checkin-state")).to_have_text("Llegó")
    assert marks_stored(live_portal) == "[('ARG', True), ('PER', True)]"
    assert page.evaluate("window.localStorage.getItem('checkin:checkin-day:r1')") == "[]"

    # The same marks sent again (a phone that lost the server's answer) count nothing twice.
    page.evaluate("queue => window.localStorage.setItem('checkin:checkin-day:r1', queue)",
                  queued)
    page.reload()
    expect(status).to_have_text("Todas las marcas se enviaron.")
    assert marks_stored(live_portal) == "[('ARG', True), ('PER', True)]"
    expect(page.locator('.checkin-toggle[data-delegation="PER"]')).to_have_attribute(
        "aria-pressed", "true")
    save_screenshot(page, "workshop-checkin-synced")
