"""A visitor reads the home page, switches to Spanish and signs in as a country delegate."""

from tests.browser.conftest import policy_violations, save_screenshot, sign_in


def test_home_switch_to_spanish_and_sign_in_as_delegate(live_portal, browser_page):
    page = browser_page
    page.goto(f"{live_portal.url}/")
    assert page.url == f"{live_portal.url}/en/"
    assert page.locator("h1").inner_text() == "Inter-American Social Protection Network"

    # Keyboard users reach the skip link first, and it moves focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    page.wait_for_url(f"{live_portal.url}/es/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Red Interamericana de Protección Social"
    assert page.get_by_role("heading", name="Por dónde empezar").is_visible()

    page.get_by_role("link", name="Iniciar sesión").click()
    page.wait_for_url("**/es/account/login/**")
    sign_in(page, live_portal, "delegate.col@example.org", "Delegate-demo-2026", language="es")
    page.wait_for_url(f"{live_portal.url}/es/account/")
    assert page.get_by_role("heading", name="Mi cuenta").is_visible()
    details = page.locator("dl.details").inner_text()
    assert "Delegado de país" in details
    assert "Colombia" in details
    screenshot = save_screenshot(page, "home-spanish-delegate-signed-in")
    assert screenshot.stat().st_size > 10_000


def test_public_and_admin_pages_raise_no_policy_violation(live_portal, browser_page):
    page = browser_page
    violations = policy_violations(page)
    for path in ["/en/", "/es/", "/en/about/", "/en/news/", "/en/account/login/"]:
        page.goto(f"{live_portal.url}{path}")
    sign_in(page, live_portal, "moderator@example.org", "Moderator-demo-2026")
    page.goto(f"{live_portal.url}/en/")  # the Wagtail user bar appears for editors
    page.goto(f"{live_portal.url}/admin/")
    assert page.get_by_role("heading", name="Dashboard").count() + page.locator(
        "#wagtail").count() > 0
    assert violations == []
