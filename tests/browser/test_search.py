"""A visitor searches with the keyboard, picks an autocomplete suggestion, then narrows the
results with a facet."""

from tests.browser.conftest import save_screenshot


def test_search_with_autocomplete_and_a_facet_click(live_portal, browser_page):
    page = browser_page
    page.goto(f"{live_portal.url}/en/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.wait_for_url(f"{live_portal.url}/en/search/")

    box = page.get_by_role("combobox", name="Search for")
    box.click()
    box.type("abou", delay=40)
    option = page.get_by_role("option", name="About the network")
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert "suggestion" in page.locator("#search-suggestions-status").inner_text()
    box.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.press("Enter")
    page.wait_for_url("**/en/search/?q=About+the+network")
    first = page.locator(".hit").first
    assert first.get_by_role("heading").inner_text() == "About the network"
    assert first.locator("mark").count() >= 2

    # Browse everything, then keep only Spanish content with a click on the facet.
    page.goto(f"{live_portal.url}/en/search/")
    facet = page.get_by_role("region", name="Language")
    spanish = facet.get_by_role("link", name="Spanish")
    expected = int(spanish.locator(".facet-option__count").inner_text())
    spanish.click()
    page.wait_for_url("**/en/search/?language=es")
    assert page.get_by_role("heading", level=2, name=f"{expected} items").is_visible()
    assert facet.get_by_role("link", name="Spanish").get_attribute("aria-current") == "true"
    languages = page.locator(".hit__meta span:nth-child(2)").all_inner_texts()
    assert languages and set(languages) == {"Spanish"}
    save_screenshot(page, "search-spanish-facet")

    # The active filter can be removed with the keyboard.
    page.get_by_role("link", name="Language: Spanish").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_portal.url}/en/search/?")
