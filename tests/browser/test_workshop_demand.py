"""A delegate reorders the offers Colombia wants to hear with the keyboard only, and saves."""

from tests.browser.conftest import policy_violations, save_screenshot, sign_in


def test_delegate_ranks_offers_with_the_keyboard(live_portal, browser_page):
    page = browser_page
    violations = policy_violations(page)
    sign_in(page, live_portal, "delegate.col@example.org", "Delegate-demo-2026")
    page.wait_for_url("**/account/**")
    page.goto(f"{live_portal.url}/en/workshops/santa-marta-2012/")
    page.get_by_role("link", name="rank the offers you want to hear").click()
    titles = page.locator(".ranking__title")
    before = titles.all_inner_texts()
    assert len(before) >= 2

    first = page.locator(".ranking__item").first
    first.locator("[data-move=down]").focus()
    page.keyboard.press("Enter")  # moved in place by the script, no reload
    assert titles.all_inner_texts()[:2] == [before[1], before[0]]
    assert page.evaluate("document.activeElement.dataset.move") == "down"
    assert "moved to position 2" in page.locator("[data-announce]").inner_text()
    assert page.locator("[data-unsaved-note]").is_visible()

    page.get_by_role("button", name="Save ranking").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/requests/#ranking")
    assert page.get_by_text(f"Ranking saved: {len(before)} offers.").is_visible()
    assert titles.all_inner_texts() == [before[1], before[0], *before[2:]]
    save_screenshot(page, "workshop-demand-ranked-by-keyboard")
    assert violations == []
