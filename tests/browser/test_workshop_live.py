"""An organiser builds the rounds of a workshop, publishes them, edits and publishes again;
a delegate's open agenda page follows each publication live, without reloading."""

import json
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import ROOT, save_screenshot, sign_in

SANTA_MARTA = ROOT / "matchmaking/data/santa_marta_2012.json"


def _workshop_file(tmp_path):
    document = json.loads(SANTA_MARTA.read_text())
    document["workshop"] = {"slug": "live-rounds", "starts_on": "2012-10-31",
                            "ends_on": "2012-11-02", "time_zone": "America/Bogota",
                            "venue": "Santa Marta"}
    path = Path(tmp_path) / "workshop.json"
    path.write_text(json.dumps(document))
    return path


def publish_final(page, portal, number):
    """Publish through the conflict report; whether the solved schedule leaves a delegation
    with nothing (a warning to confirm) depends on the run, and is not what this tests."""
    page.goto(f"{portal.url}/en/workshops/live-rounds/schedule/check/")
    expect(page.locator("#errors-heading")).to_have_text("0 errors")
    confirm = page.get_by_label("I have read the warnings and want to publish anyway")
    if confirm.count():
        confirm.check()
    page.get_by_role("button", name=f"Publish version {number} as final").click()
    expect(page.get_by_text(f"Version {number} is published")).to_be_visible()
    page.goto(f"{portal.url}/en/workshops/live-rounds/schedule/")


def test_a_published_edit_reaches_an_open_agenda_live(live_portal, browser_page, chromium,
                                                      tmp_path):
    live_portal.manage("import_workshop", str(_workshop_file(tmp_path)), "--slug", "live-rounds",
                       "--organiser", "organiser@example.org",
                       "--delegate", "COL=delegate.col@example.org")
    worker = None
    if live_portal.env.get("REDIS_URL"):
        # Under Redis optimiser runs go to a Channels worker, as in production.
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "runworker", "matchmaking-solve"], cwd=ROOT,
            env=live_portal.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    delegate_context = chromium.new_context(viewport={"width": 1280, "height": 900},
                                            locale="en-GB")
    delegate_context.set_default_timeout(15_000)
    try:
        organiser = browser_page
        sign_in(organiser, live_portal, "organiser@example.org", "Organiser-demo-2026")
        organiser.goto(f"{live_portal.url}/en/workshops/live-rounds/schedule/build/")
        organiser.get_by_label("Time limit (seconds)").select_option("10")
        organiser.get_by_role("button", name="Start").click()
        expect(organiser.locator("#solve-line")).to_contain_text("Finished", timeout=90_000)
        publish_final(organiser, live_portal, 1)

        delegate = delegate_context.new_page()
        sign_in(delegate, live_portal, "delegate.col@example.org", "Delegate-demo-2026")
        delegate.goto(f"{live_portal.url}/en/workshops/live-rounds/agenda/")
        expect(delegate.get_by_role("heading", name="Agenda of Colombia")).to_be_visible()
        expect(delegate.locator("#agenda-version")).to_have_text("Published version 1.")
        expect(delegate.locator("#agenda")).to_have_attribute("data-live", "connected")
        delegate.evaluate("window.notReloaded = true")
        rows_before = delegate.locator("#agenda tbody tr").count()
        assert rows_before > 0

        # The organiser pins Colombia's first round (an edit that keeps every rule) and
        # publishes the new version.
        organiser.locator("article.rounds-round").first.locator("a.rounds-edit-link").click()
        organiser.locator("#edit-panel").get_by_role("button", name="Pin", exact=True).click()
        expect(organiser.get_by_text("Saved as version 2")).to_be_visible()
        publish_final(organiser, live_portal, 2)

        expect(delegate.locator("#agenda-version")).to_have_text("Published version 2.")
        expect(delegate.locator("#agenda-status")).to_have_text(
            "The agenda was just updated.")
        assert delegate.evaluate("window.notReloaded") is True
        assert delegate.locator("#agenda tbody tr").count() == rows_before
        save_screenshot(delegate, "workshop-agenda-live-update")
    finally:
        delegate_context.close()
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=10)
