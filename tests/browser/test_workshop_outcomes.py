"""A delegate records a cooperation intention on a phone in the negotiation room, then moves
it to the next stage; the form fits a 390 px wide screen without sideways scrolling."""

from tests.browser.conftest import policy_violations, save_screenshot, sign_in

WIDTH = 390


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_delegate_records_an_intention_on_a_phone(live_portal, phone_page):
    page = phone_page
    violations = policy_violations(page)
    sign_in(page, live_portal, "delegate.col@example.org", "Delegate-demo-2026")
    page.wait_for_url("**/account/**")
    page.goto(f"{live_portal.url}/en/workshops/santa-marta-2012/")
    page.get_by_role("link", name="Record a cooperation intention").tap()
    page.wait_for_url("**/outcomes/new/")
    assert fits_the_screen(page)

    # Colombia's delegate: their delegation is chosen already as the demanding one.
    assert page.locator("#id_demanding option:checked").inner_text() == "Colombia"
    page.locator("#id_suppliers").get_by_label("Peru").check()
    program = page.locator("#id_offer option", has_text="(Peru)").first.inner_text()
    page.locator("#id_offer").select_option(label=program)
    page.get_by_label("Expert visits").check()
    page.get_by_label("Internships").check()
    page.get_by_label("Inter-institutional or bilateral agreement").check()
    page.get_by_label("A specific component").check()
    page.locator("#id_focus_component").fill("School meals procurement")
    page.locator("#id_notes").fill("Agreed at the table in room 2.")
    save_screenshot(page, "workshop-outcomes-phone-form")
    page.get_by_role("button", name="Record the intention").tap()

    page.wait_for_url("**/outcomes/47/")
    assert page.get_by_text("Intention #47 recorded.").is_visible()
    assert page.get_by_text("Colombia ← Peru").is_visible()
    assert page.get_by_text("Expert visits, Internships").is_visible()
    assert fits_the_screen(page)

    page.get_by_label("New stage").select_option(label="Plan agreed")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the move").tap()
    assert page.url.endswith("/outcomes/47/")
    assert page.get_by_text("Intention #47 moved to “Plan agreed”.").is_visible()
    history = page.locator(".history li")
    assert history.count() == 2 and "Plan agreed" in history.last.inner_text()
    save_screenshot(page, "workshop-outcomes-phone-recorded")
    assert violations == []


def test_organiser_reads_the_table_3_report_with_its_charts(live_portal, browser_page):
    page = browser_page
    violations = policy_violations(page)
    sign_in(page, live_portal, "organiser@example.org", "Organiser-demo-2026")
    page.wait_for_url("**/account/**")
    page.goto(f"{live_portal.url}/en/workshops/santa-marta-2012/outcomes/")
    page.get_by_role("link", name="Activity types").click()
    page.wait_for_url("**/reports/activities/")
    charts = page.locator("figure.chart svg")
    assert charts.count() == 3
    assert charts.first.locator("rect").count() == 7
    row = page.get_by_role("row", name="Activity type Academic activities and workshops 29")
    assert row.is_visible()
    save_screenshot(page, "workshop-outcomes-table-3")
    assert violations == []
