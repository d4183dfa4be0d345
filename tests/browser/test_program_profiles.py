"""A delegate writes a profile in the Wagtail admin and submits it; a moderator approves it
with a comment; readers find it in English and in Spanish (the original, until translated)."""

import time

from tests.browser.conftest import save_screenshot, sign_in


def country_page_id(portal, iso3, language):
    result = portal.manage("shell", "-c", (
        "from programs.models import CountryIndexPage; "
        f"print(CountryIndexPage.objects.get(country__iso3='{iso3}', "
        f"locale__language_code='{language}').pk)"))
    return int(result.stdout.strip().splitlines()[-1])


def test_delegate_submits_moderator_approves_and_it_is_public_in_both_languages(
        live_portal, chromium):
    title = "Community kitchens for early childhood"
    colombia = country_page_id(live_portal, "COL", "en")

    delegate = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    delegate.set_default_timeout(20_000)
    page = delegate.new_page()
    sign_in(page, live_portal, "delegate.col@example.org", "Delegate-demo-2026")
    page.wait_for_url("**/account/")
    page.goto(f"{live_portal.url}/admin/pages/add/programs/programprofilepage/{colombia}/")
    page.locator("#id_title").fill(title)
    page.locator("#id_title").press("Tab")
    page.get_by_label("Food security", exact=True).check()
    page.get_by_label("Implementation", exact=True).check()
    page.locator("#id_start_date").fill("2024-03")
    page.locator("footer .w-dropdown__toggle").click()
    page.get_by_role("button", name="Submit to Program profile review").click()
    page.wait_for_url("**/admin/pages/*/")
    assert "submitted" in page.locator(".messages").inner_text().lower()
    delegate.close()

    anonymous = chromium.new_context(viewport={"width": 1280, "height": 900})
    reader = anonymous.new_page()
    reader.goto(f"{live_portal.url}/en/programs/colombia/")
    assert title not in reader.locator("main").inner_text()

    moderator = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    moderator.set_default_timeout(20_000)
    page = moderator.new_page()
    sign_in(page, live_portal, "moderator@example.org", "Moderator-demo-2026")
    page.wait_for_url("**/account/")
    page.goto(f"{live_portal.url}/admin/")
    row = page.locator("tr", has_text=title)
    row.get_by_role("button", name="Actions").click()
    row.get_by_text("Approve with comment").click()
    page.locator(".modal textarea[name=comment]").fill("Approved: a clear profile.")
    page.locator(".modal").get_by_role("button", name="Approve with comment").click()
    page.wait_for_load_state("networkidle")
    moderator.close()

    def approval_mail_arrived():
        mails = [" ".join(mail.replace("=\n", "").split()) for mail in live_portal.mails()
                 if "delegate.col@example.org" in mail]
        return any(title in mail and "Approved: a clear profile." in mail for mail in mails)

    deadline = time.monotonic() + 15
    while not approval_mail_arrived() and time.monotonic() < deadline:
        time.sleep(0.25)
    assert approval_mail_arrived()

    reader.goto(f"{live_portal.url}/en/programs/colombia/")
    reader.get_by_role("link", name=title).click()
    assert reader.locator("h1").inner_text() == title
    assert "Food security" in reader.locator("main").inner_text()

    reader.goto(f"{live_portal.url}/es/programas/colombia/")
    reader.get_by_role("link", name=title).click()
    reader.wait_for_url("**/es/programas/colombia/**")
    assert reader.locator("html").get_attribute("lang") == "es"
    assert reader.locator("h1").inner_text() == title
    main = reader.locator("main").inner_text()
    assert "Seguridad alimentaria" in main
    assert "aún no ha sido traducida" in main
    save_screenshot(reader, "program-profile-spanish-fallback")

    reader.goto(f"{live_portal.url}/es/programas/?topic=food_security")
    assert title in reader.locator("main").inner_text()
    anonymous.close()


def test_programs_index_filters_work_without_javascript(live_portal, chromium):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 390,
                                                                          "height": 844})
    page = context.new_page()
    page.goto(f"{live_portal.url}/es/")
    page.get_by_role("navigation", name="Principal").get_by_role("link",
                                                                 name="Programas").click()
    page.wait_for_url("**/es/programas/")
    page.get_by_label("País:", exact=True).select_option("COL")
    page.get_by_label("Tema:", exact=True).select_option("food_security")
    page.get_by_role("button", name="Aplicar filtros").click()
    page.wait_for_url("**/es/programas/?*country=COL*")
    text = page.locator("main").inner_text()
    assert "Estrategia Red de Seguridad Alimentaria - ReSA®" in text
    assert "Programa de Adquisición de Alimentos" not in text  # Brazil's
    context.close()
